// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IZodiacCollection} from "../interfaces/IZodiacCollection.sol";

/// @title ERC721ReceiverMock
/// @notice Test receiver: accepts, rejects, or re-enters the collection on `onERC721Received`.
contract ERC721ReceiverMock is IERC721Receiver {
    enum Mode {
        Accept,
        Reject,
        Revert,
        ReenterMint
    }

    Mode public mode;
    uint256 public received;

    event Received(address operator, address from, uint256 tokenId);

    constructor(Mode mode_) {
        mode = mode_;
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata)
        external
        returns (bytes4)
    {
        if (mode == Mode.Reject) return bytes4(0xdeadbeef);
        if (mode == Mode.Revert) revert("receiver refuses");
        if (mode == Mode.ReenterMint) IZodiacCollection(msg.sender).mint(address(this), 1);
        received += 1;
        emit Received(operator, from, tokenId);
        return IERC721Receiver.onERC721Received.selector;
    }
}
