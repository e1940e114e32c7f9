// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721A} from "erc721a/contracts/ERC721A.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title ERC721ABench
/// @notice Gas baseline for benchmarks/gas.py: Chiru Labs' ERC721A 4.3.0, IDs from 1.
contract ERC721ABench is ERC721A, Ownable {
    constructor() ERC721A("Bench", "BENCH") Ownable(msg.sender) {}

    /// @notice Mints `n` tokens with the next IDs to `to`. Owner only.
    function mint(address to, uint256 n) external onlyOwner {
        _mint(to, n);
    }

    /// @notice Mints one token to each of `recipients`, in one transaction, as a loop of
    /// ERC721A's `_mint`: the baseline of an airdrop. Owner only.
    function airdrop(address[] calldata recipients) external onlyOwner {
        for (uint256 i; i < recipients.length; ++i) {
            _mint(recipients[i], 1);
        }
    }

    function _startTokenId() internal pure override returns (uint256) {
        return 1;
    }
}
