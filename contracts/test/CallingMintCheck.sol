// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721Sequential} from "../ERC721Sequential.sol";

/// @title CallingMintCheck
/// @notice Test mock for tests/contracts/test_mint_events.py: an ERC721Sequential whose mint
/// check makes an external call that returns data, as an extension's check of an allowlist
/// contract would, so the mint's events are emitted with the return data buffer once full.
contract CallingMintCheck is ERC721Sequential {
    constructor() ERC721Sequential("Check", "CHECK", 1000) {}

    /// @notice Mints `quantity` tokens to `to`; anyone may.
    function mint(address to, uint256 quantity) external {
        _mint(to, quantity);
    }

    /// @notice Mints `quantities[i]` tokens to `recipients[i]`; anyone may.
    function airdrop(address[] calldata recipients, uint256[] calldata quantities) external {
        _mintMany(recipients, quantities);
    }

    /// @notice No metadata.
    function tokenURI(uint256) public pure returns (string memory) {
        return "";
    }

    /// @dev Allows every sender, after a call to this contract's own `name()`, which leaves
    /// its ABI-encoded answer (96 bytes) in the return data buffer.
    function _checkMint() internal view override {
        this.name();
    }
}
