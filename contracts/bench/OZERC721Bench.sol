// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title OZERC721Bench
/// @notice Gas baseline for benchmarks/gas.py: OpenZeppelin's ERC721, one `_mint` per token.
contract OZERC721Bench is ERC721, Ownable {
    uint256 private _next = 1;

    constructor() ERC721("Bench", "BENCH") Ownable(msg.sender) {}

    /// @notice Mints `n` tokens with the next IDs to `to`. Owner only.
    function mint(address to, uint256 n) external onlyOwner {
        uint256 id = _next;
        for (uint256 end = id + n; id < end; ++id) {
            _mint(to, id);
        }
        _next = id;
    }
}
