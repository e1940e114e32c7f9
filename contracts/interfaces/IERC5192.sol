// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IERC5192
 * @notice ERC-5192 Minimal Soulbound NFTs (https://eips.ethereum.org/EIPS/eip-5192), as the EIP
 * specifies it; its ERC-165 interface ID is 0xb45a3c0e.
 */
interface IERC5192 {
    /// @notice The locking status of `tokenId` changed to locked; emitted at mint when a token is
    /// minted locked.
    event Locked(uint256 tokenId);

    /// @notice The locking status of `tokenId` changed to unlocked.
    event Unlocked(uint256 tokenId);

    /// @notice Whether `tokenId` is locked (bound to its owner); throws for a token that does not
    /// exist.
    /// @param tokenId the token
    function locked(uint256 tokenId) external view returns (bool);
}
