// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IZodiacCollection} from "../interfaces/IZodiacCollection.sol";

/// @title ReentrantReceiver
/// @notice Attack mock for tests/contracts/test_attack_reentrancy.py: an ERC-721 receiver that,
/// inside `onERC721Received`, calls back into the collection (mint, safe mint, airdrop, transfer,
/// burn, approvals, or a second pull of the token from its previous owner). It records what it
/// saw at callback time, and either lets a refused re-entry revert the whole transaction or
/// catches it and keeps the refusal's error data for the test to read.
contract ReentrantReceiver is IERC721Receiver {
    enum Action {
        None,
        Mint,
        SafeMint,
        Airdrop,
        TransferFrom,
        SafeTransferFrom,
        Burn,
        Approve,
        SetApprovalForAll,
        PullFromPrevious
    }

    address public immutable collection;
    Action public action;
    /// @notice Catch a refused re-entry instead of reverting the whole transaction.
    bool public swallow;
    /// @notice Where a re-entry sends tokens, or whom it approves.
    address public target;
    /// @notice Re-entries left to attempt; each callback attempts at most one.
    uint256 public budget;

    uint256 public callbacks;
    uint256 public reentered;
    uint256 public refused;
    bytes public lastError;
    /// @notice Owner of each token and this contract's balance, read at its callback.
    mapping(uint256 tokenId => address) public ownerAtCallback;
    mapping(uint256 tokenId => uint256) public balanceAtCallback;
    mapping(uint256 tokenId => uint256) public mintedAtCallback;

    event Callback(address operator, address from, uint256 tokenId);

    constructor(address collection_) {
        collection = collection_;
    }

    /// @notice Arms the next callbacks: `budget_` re-entries of kind `action_` towards `target_`.
    function arm(Action action_, address target_, uint256 budget_, bool swallow_) external {
        action = action_;
        target = target_;
        budget = budget_;
        swallow = swallow_;
    }

    /// @notice Lets this contract approve an operator outside a callback.
    function setApprovalForAll(address operator, bool approved) external {
        IERC721(collection).setApprovalForAll(operator, approved);
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata)
        external
        returns (bytes4)
    {
        require(msg.sender == collection, "unexpected collection");
        callbacks += 1;
        emit Callback(operator, from, tokenId);
        ownerAtCallback[tokenId] = IERC721(collection).ownerOf(tokenId);
        balanceAtCallback[tokenId] = IERC721(collection).balanceOf(address(this));
        mintedAtCallback[tokenId] = ITotalMinted(collection).totalMinted();
        if (action != Action.None && budget != 0) {
            budget -= 1;
            (bool ok, bytes memory err) = collection.call(_reentry(from, tokenId));
            if (ok) {
                reentered += 1;
            } else if (swallow) {
                refused += 1;
                lastError = err;
            } else {
                assembly ("memory-safe") {
                    revert(add(err, 32), mload(err))
                }
            }
        }
        return IERC721Receiver.onERC721Received.selector;
    }

    function _reentry(address from, uint256 tokenId) private view returns (bytes memory) {
        Action a = action;
        address to = target;
        if (a == Action.Mint) return abi.encodeWithSignature("mint(address,uint256)", to, 1);
        if (a == Action.SafeMint) return abi.encodeWithSignature("safeMint(address,uint256)", to, 1);
        if (a == Action.Airdrop) {
            address[] memory recipients = new address[](1);
            uint256[] memory quantities = new uint256[](1);
            recipients[0] = to;
            quantities[0] = 1;
            return abi.encodeWithSignature("airdrop(address[],uint256[])", recipients, quantities);
        }
        if (a == Action.TransferFrom) return abi.encodeCall(IERC721.transferFrom, (address(this), to, tokenId));
        if (a == Action.SafeTransferFrom) {
            return abi.encodeWithSignature("safeTransferFrom(address,address,uint256)", address(this), to, tokenId);
        }
        if (a == Action.Burn) return abi.encodeCall(IZodiacCollection.burn, (tokenId));
        if (a == Action.Approve) return abi.encodeCall(IERC721.approve, (to, tokenId));
        if (a == Action.SetApprovalForAll) return abi.encodeCall(IERC721.setApprovalForAll, (to, true));
        // PullFromPrevious: take the same token again from the account that just gave it.
        return abi.encodeCall(IERC721.transferFrom, (from, address(this), tokenId));
    }
}

interface ITotalMinted {
    function totalMinted() external view returns (uint256);
}
