// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ERC165, IERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/**
 * @title ERC721Sequential
 * @notice ERC-721 core for collections minted in sequential batches, token IDs from 1.
 * @dev Follows the storage design of ERC721A (Chiru Labs): a batch mint writes the owner once, at
 * the batch's first ID, with the time of arrival, and `ownerOf` finds the nearest written slot
 * below; a transfer or burn writes the token's own slot and the next one. Unlike ERC721A, that
 * slot is found in a bitmap (as ERC721Psi does), not by reading every slot on the way: a bit marks
 * each written slot that unwritten IDs after it rely on, so a lookup reads one or two bitmap words
 * and one ownership word, whatever the batch size. Unlike ERC721A, the
 * next ID, the pause flag and the fast-path minter are checked from one storage word and the cap
 * from an immutable, and the ownership words sit in a fixed-size array indexed by ID instead of a
 * mapping, so a guarded mint costs less than ERC721A's unguarded one.
 * Errors are OpenZeppelin's ERC-6093 errors; receivers are checked with OpenZeppelin's
 * ERC721Utils. Every transfer passes through {_transfer}, every approval through {_approve} and
 * {_setApprovalForAll}, and all three through {_checkTransferRules}: rules on transfers belong
 * there.
 */
abstract contract ERC721Sequential is Context, ERC165, IERC721, IERC721Metadata, IERC721Errors {
    /// @notice A mint of zero tokens was requested.
    error MintZeroQuantity();
    /// @notice The mint would exceed the supply cap.
    /// @param requested the quantity asked for
    /// @param remaining the quantity still available under the cap
    error MaxSupplyExceeded(uint256 requested, uint256 remaining);
    /// @notice Minting is paused.
    error MintingIsPaused();
    /// @notice A receiver's callback minted tokens during a safe mint.
    error ReentrantMint();
    /// @notice Two arrays that must be of equal length are not.
    error LengthMismatch(uint256 a, uint256 b);

    /// @notice Minting was paused by `account`.
    event MintingPaused(address account);
    /// @notice Minting was resumed by `account`.
    event MintingUnpaused(address account);

    // Ownership word: owner in bits 0-159, burned at bit 160, at bit 161 whether the slot of the
    // next ID is known to be written (so a transfer need not look at it), and in bits 192-255 the
    // block timestamp at which the owner received the token (ERC721A's `startTimestamp`): written
    // in the same store as the owner, so it costs a mint no storage write of its own.
    uint256 private constant _BURNED = 1 << 160;
    uint256 private constant _NEXT_INITIALIZED = 1 << 161;
    uint256 private constant _SINCE_SHIFT = 192;

    // The mint-time word: what a mint must read, in one storage slot, so a mint reads it once
    // and writes it once. Bits 0-159 are the extension's (see {_checkMint}), 160-223 hold the
    // next token ID, bit 224 the pause flag.
    uint256 private constant _NEXT_SHIFT = 160;
    uint256 private constant _NEXT_MASK = uint256(type(uint64).max) << 160;
    uint256 private constant _PAUSED = 1 << 224;
    // The length of {_packedOwnerships}: every token ID is below it.
    uint256 private constant _ID_LIMIT = 1 << 63;
    // keccak256("Transfer(address,address,uint256)")
    bytes32 private constant _TRANSFER_TOPIC = 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef;

    uint256 private immutable _MAX_SUPPLY;

    uint256 private _mintWord;
    uint256 private _burnedCount;

    string private _name;
    string private _symbol;

    // Ownership words by token ID, in a fixed-size array rather than a mapping: the word of ID i
    // lives at this variable's slot + i, so no access pays for a keccak256 (~40 gas; {_mint}
    // writes the slot from assembly and skips the bounds check too, ~35 more). 2^63 slots are far
    // beyond any collection, and a hashed slot falls among them with odds of 2^-193 (the compiler
    // warns from 2^64 on); the cap keeps every ID inside.
    uint256[_ID_LIMIT] private _packedOwnerships;
    // Bit `id % 256` of word `id / 256` is set when the ownership slot of `id` is written and the
    // slot of `id + 1` may not be: at the first ID of every batch of more than one token, and at
    // the next ID a transfer or burn initializes. The nearest set bit at or below an unwritten ID
    // is then the slot holding its owner ({_scan}). Bit 0 (ID 0, never a token) is set in the
    // constructor, so the first batch pays no zero-to-nonzero store of the bitmap.
    uint256[_ID_LIMIT >> 8] private _runStarts;
    mapping(address owner => uint256) private _balances;
    mapping(uint256 tokenId => address) private _tokenApprovals;
    mapping(address owner => mapping(address operator => bool)) private _operatorApprovals;

    constructor(string memory name_, string memory symbol_, uint256 maxSupply_) {
        _name = name_;
        _symbol = symbol_;
        // Every ID must index {_packedOwnerships} (and so fits the 64 bits of the mint-time word).
        _MAX_SUPPLY = maxSupply_ < _ID_LIMIT - 1 ? maxSupply_ : _ID_LIMIT - 1;
        _mintWord = 1 << _NEXT_SHIFT;
        _runStarts[0] = 1;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view virtual override(ERC165, IERC165) returns (bool) {
        return interfaceId == type(IERC721).interfaceId || interfaceId == type(IERC721Metadata).interfaceId
            || super.supportsInterface(interfaceId);
    }

    /// @inheritdoc IERC721Metadata
    function name() public view virtual returns (string memory) {
        return _name;
    }

    /// @inheritdoc IERC721Metadata
    function symbol() public view virtual returns (string memory) {
        return _symbol;
    }

    /// @notice The most tokens that can ever be minted.
    function maxSupply() public view virtual returns (uint256) {
        return _MAX_SUPPLY;
    }

    /// @notice Tokens minted so far, burned ones included; also the highest ID minted.
    function totalMinted() public view virtual returns (uint256) {
        return _nextTokenId() - 1;
    }

    /// @notice Tokens in existence: minted and not burned.
    function totalSupply() public view virtual returns (uint256) {
        return _nextTokenId() - 1 - _burnedCount;
    }

    /// @notice Whether minting is paused.
    function mintingPaused() public view virtual returns (bool) {
        return _mintWord & _PAUSED != 0;
    }

    /// @inheritdoc IERC721
    function balanceOf(address owner) public view virtual returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _balances[owner];
    }

    /// @inheritdoc IERC721
    function ownerOf(uint256 tokenId) public view virtual returns (address) {
        return address(uint160(_packedOwnershipOf(tokenId)));
    }

    /// @notice Owners of the IDs `first` to `last` inclusive, in one call, zero for a burned
    /// token; the range is cut at the highest minted ID. Lets a verifier read a whole collection
    /// in a few calls.
    function ownersInRange(uint256 first, uint256 last) public view virtual returns (address[] memory owners) {
        uint256 next = _nextTokenId();
        if (first == 0) first = 1;
        if (last >= next) last = next - 1;
        if (last < first) return owners;
        owners = new address[](last - first + 1);
        uint256 packed = 0; // the ownership word in force, zero until one is found
        for (uint256 id = first; id <= last; ++id) {
            uint256 own = _packedOwnerships[id];
            if (own != 0) packed = own;
            else if (packed == 0) packed = _scan(id);
            if (packed & _BURNED == 0) owners[id - first] = address(uint160(packed));
        }
    }

    /// @inheritdoc IERC721
    function approve(address to, uint256 tokenId) public virtual {
        _approve(to, tokenId, _msgSender());
    }

    /// @inheritdoc IERC721
    function getApproved(uint256 tokenId) public view virtual returns (address) {
        _packedOwnershipOf(tokenId);
        return _tokenApprovals[tokenId];
    }

    /// @inheritdoc IERC721
    function setApprovalForAll(address operator, bool approved) public virtual {
        _setApprovalForAll(_msgSender(), operator, approved);
    }

    /// @inheritdoc IERC721
    function isApprovedForAll(address owner, address operator) public view virtual returns (bool) {
        return _operatorApprovals[owner][operator];
    }

    /// @inheritdoc IERC721
    function transferFrom(address from, address to, uint256 tokenId) public virtual {
        _transfer(from, to, tokenId);
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 tokenId) public virtual {
        safeTransferFrom(from, to, tokenId, "");
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 tokenId, bytes memory data) public virtual {
        _transfer(from, to, tokenId);
        ERC721Utils.checkOnERC721Received(_msgSender(), from, to, tokenId, data);
    }

    /// @dev Whether `tokenId` has been minted and not burned.
    function _exists(uint256 tokenId) internal view virtual returns (bool) {
        if (tokenId == 0 || tokenId >= _nextTokenId()) return false;
        uint256 packed = _packedOwnerships[tokenId];
        return (packed == 0 ? _scan(tokenId) : packed) & _BURNED == 0;
    }

    /// @dev The one path of every transfer: checks ownership, the rules of
    /// {_checkTransferRules} and approval, clears the token's approval, moves it; the receiver's time of
    /// arrival is now.
    function _transfer(address from, address to, uint256 tokenId) internal virtual {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        uint256 prev = _packedOwnershipOf(tokenId);
        address owner = address(uint160(prev));
        if (owner != from) revert ERC721IncorrectOwner(from, tokenId, owner);
        _checkTransferRules(tokenId, prev >> _SINCE_SHIFT, false);
        _clearApprovalChecked(owner, tokenId);
        unchecked {
            --_balances[from];
            ++_balances[to];
        }
        _packedOwnerships[tokenId] = uint256(uint160(to)) | _NEXT_INITIALIZED | (block.timestamp << _SINCE_SHIFT);
        if (prev & _NEXT_INITIALIZED == 0) _initializeNext(tokenId, prev);
        emit Transfer(from, to, tokenId);
    }

    /// @dev The one place where rules on moving tokens are enforced: called by {_transfer} with
    /// the token and the time its owner received it (`heldSince`, seconds since the epoch), and
    /// by {_approve} and {_setApprovalForAll} with `isApproval` set (`tokenId` is zero for an
    /// operator approval). Reverts to refuse. Here every move is allowed.
    function _checkTransferRules(uint256 tokenId, uint256 heldSince, bool isApproval) internal view virtual {}

    /// @dev The block timestamp at which the owner of an existing `tokenId` received it, by mint or
    /// transfer; reverts for an ID never minted or burned.
    function _heldSince(uint256 tokenId) internal view returns (uint256) {
        return _packedOwnershipOf(tokenId) >> _SINCE_SHIFT;
    }

    /// @dev Burns `tokenId`; the caller must be its owner or approved.
    function _burn(uint256 tokenId) internal virtual {
        uint256 prev = _packedOwnershipOf(tokenId);
        address owner = address(uint160(prev));
        _clearApprovalChecked(owner, tokenId);
        unchecked {
            --_balances[owner];
            ++_burnedCount;
        }
        _packedOwnerships[tokenId] = uint256(uint160(owner)) | _BURNED | _NEXT_INITIALIZED;
        if (prev & _NEXT_INITIALIZED == 0) _initializeNext(tokenId, prev);
        emit Transfer(owner, address(0), tokenId);
    }

    /// @dev Mints `quantity` tokens to `to` with the next IDs, after {_checkMint}, the pause
    /// flag and the cap. This is the hot path the gas goals are about: one read and one write
    /// of the mint-time word, the balance, the batch's ownership slot, one event per token.
    function _mint(address to, uint256 quantity) internal virtual {
        uint256 word = _mintWord;
        // The low 160 bits name the extension's fast-path minter (see {_checkMint}); the shift
        // keeps only those bits of the difference, without an address mask.
        if ((uint256(uint160(msg.sender)) ^ word) << 96 != 0) _checkMint();
        _mintWord = _mintBatch(word, to, quantity);
    }

    /// @dev Mints `quantities[i]` tokens to `recipients[i]` for every i: one authorization, one
    /// read and one write of the mint-time word for the whole airdrop, each batch by
    /// {_mintBatch} as in {_mint}.
    function _mintMany(address[] calldata recipients, uint256[] calldata quantities) internal virtual {
        if (recipients.length != quantities.length) revert LengthMismatch(recipients.length, quantities.length);
        if (recipients.length == 0) revert MintZeroQuantity();
        uint256 word = _mintWord;
        if ((uint256(uint160(msg.sender)) ^ word) << 96 != 0) _checkMint();
        // The lengths are equal (checked above): the elements are read without a bounds check
        // each, and an address with bits above its 160 is refused as the ABI decoder would.
        uint256 end = recipients.length << 5;
        for (uint256 at; at != end;) {
            address to;
            uint256 quantity;
            assembly ("memory-safe") {
                to := calldataload(add(recipients.offset, at))
                quantity := calldataload(add(quantities.offset, at))
                if shr(160, to) { revert(0, 0) }
                at := add(at, 32)
            }
            word = _mintBatch(word, to, quantity);
        }
        _mintWord = word;
    }

    /// @dev One batch of a mint, the mint-time word `word` given and returned (with the next ID
    /// moved past the batch): checks the receiver, the pause flag and the cap, adds to the
    /// balance, writes the batch's ownership slot and run-start bit, emits the events.
    function _mintBatch(uint256 word, address to, uint256 quantity) private returns (uint256) {
        uint256 owner = uint160(to);
        if (owner == 0) revert ERC721InvalidReceiver(address(0));
        // `start` keeps the pause bit above its 64 bits: when paused it exceeds any cap, so one
        // comparison refuses a pause, a zero or huge quantity and the cap; {_revertMint} says which.
        uint256 start = word >> _NEXT_SHIFT;
        uint256 end;
        unchecked {
            end = start + quantity;
            if (quantity - 1 >= _MAX_SUPPLY || end > _MAX_SUPPLY + 1) _revertMint(word, quantity);
            _balances[to] += quantity;
        }
        // One Transfer event per token is the floor of a mint's cost, and the loops below its
        // whole per-token cost: in assembly, unrolled by four with the topic kept on the stack,
        // ~30 gas a token above the LOG4 itself, against ~60 for `emit` in a Solidity loop
        // (benchmarks/gas.py; unrolling by 64 saved ~8 more, not worth 128 lines of LOG4s to
        // audit). One push of the topic for both branches keeps the contract at three: from
        // four, the optimizer would fetch it with CODECOPY (~30 gas more on every mint, transfer
        // and burn). `start` is below `_ID_LIMIT` (checked above).
        bytes32 topic = _TRANSFER_TOPIC;
        if (quantity == 1) {
            assembly ("memory-safe") {
                sstore(add(_packedOwnerships.slot, start), or(or(owner, _NEXT_INITIALIZED), shl(_SINCE_SHIFT, timestamp())))
                log4(0, 0, topic, 0, owner, start)
            }
        } else {
            // A batch's unwritten IDs rely on its first slot: its bit goes in {_runStarts}.
            assembly ("memory-safe") {
                sstore(add(_packedOwnerships.slot, start), or(owner, shl(_SINCE_SHIFT, timestamp())))
                let bits := add(_runStarts.slot, shr(8, start))
                sstore(bits, or(sload(bits), shl(and(start, 255), 1)))
                let id := start
                for { let head := add(start, and(quantity, 3)) } iszero(eq(id, head)) { id := add(id, 1) } {
                    log4(0, 0, topic, 0, owner, id)
                }
                for {} iszero(eq(id, end)) { id := add(id, 4) } {
                    log4(0, 0, topic, 0, owner, id)
                    log4(0, 0, topic, 0, owner, add(id, 1))
                    log4(0, 0, topic, 0, owner, add(id, 2))
                    log4(0, 0, topic, 0, owner, add(id, 3))
                }
            }
        }
        // The pause bit is clear (else refused above) and `end` fits 64 bits: adding moves the
        // next ID to `end` and leaves the other bits, with no mask.
        unchecked {
            return word + (quantity << _NEXT_SHIFT);
        }
    }

    /// @dev {_mint}, then the receiver check of every token when `to` is a contract. A receiver
    /// that mints during its callback makes the whole mint revert.
    function _safeMint(address to, uint256 quantity, bytes memory data) internal virtual {
        uint256 start = _nextTokenId();
        _mint(to, quantity);
        if (to.code.length != 0) {
            uint256 end = start + quantity;
            for (uint256 id = start; id < end; ++id) {
                ERC721Utils.checkOnERC721Received(_msgSender(), address(0), to, id, data);
            }
            if (_nextTokenId() != end) revert ReentrantMint();
        }
    }

    /// @dev Authorizes a mint by a sender other than the fast-path minter kept in the low 160
    /// bits of the mint-time word (see {_setMintAux}); reverts if the sender may not mint. An
    /// extension that keeps its minter there pays no storage read on its mints.
    function _checkMint() internal view virtual;

    /// @dev The low 160 bits of the mint-time word.
    function _mintAux() internal view returns (uint160) {
        return uint160(_mintWord);
    }

    /// @dev Sets the low 160 bits of the mint-time word.
    function _setMintAux(uint160 aux) internal {
        _mintWord = (_mintWord & ~uint256(type(uint160).max)) | aux;
    }

    /// @dev The next ID to be minted.
    function _nextTokenId() internal view returns (uint256) {
        return (_mintWord & _NEXT_MASK) >> _NEXT_SHIFT;
    }

    /// @dev Pauses or resumes minting.
    function _setMintingPaused(bool paused) internal virtual {
        _mintWord = paused ? _mintWord | _PAUSED : _mintWord & ~_PAUSED;
        if (paused) emit MintingPaused(_msgSender());
        else emit MintingUnpaused(_msgSender());
    }

    /// @dev Sets or clears the approval of `to` for `tokenId`; `auth` must own it or operate for
    /// its owner (zero skips the check).
    function _approve(address to, uint256 tokenId, address auth) internal virtual {
        address owner = ownerOf(tokenId);
        _checkTransferRules(tokenId, 0, true);
        if (auth != address(0) && auth != owner && !isApprovedForAll(owner, auth)) {
            revert ERC721InvalidApprover(auth);
        }
        _tokenApprovals[tokenId] = to;
        emit Approval(owner, to, tokenId);
    }

    /// @dev Sets or clears `operator` as an operator of all of `owner`'s tokens.
    function _setApprovalForAll(address owner, address operator, bool approved) internal virtual {
        if (operator == address(0)) revert ERC721InvalidOperator(operator);
        _checkTransferRules(0, 0, true);
        _operatorApprovals[owner][operator] = approved;
        emit ApprovalForAll(owner, operator, approved);
    }

    /// @dev The reason a mint of `quantity` was refused, from the mint-time word.
    function _revertMint(uint256 word, uint256 quantity) private view {
        if (word & _PAUSED != 0) revert MintingIsPaused();
        if (quantity == 0) revert MintZeroQuantity();
        uint256 remaining = _MAX_SUPPLY + 1 - ((word & _NEXT_MASK) >> _NEXT_SHIFT);
        revert MaxSupplyExceeded(quantity, remaining);
    }

    /// @dev Clears the approval of `tokenId` after checking that the sender may move it.
    function _clearApprovalChecked(address owner, uint256 tokenId) private {
        address spender = _msgSender();
        address approved = _tokenApprovals[tokenId];
        if (spender != owner && spender != approved && !_operatorApprovals[owner][spender]) {
            revert ERC721InsufficientApproval(spender, tokenId);
        }
        if (approved != address(0)) delete _tokenApprovals[tokenId];
    }

    /// @dev After `tokenId`'s own slot is written, makes sure the next ID keeps its owner, and
    /// marks that slot in {_runStarts} for the unwritten IDs after it.
    function _initializeNext(uint256 tokenId, uint256 prev) private {
        unchecked {
            uint256 next = tokenId + 1;
            if (next != _nextTokenId() && _packedOwnerships[next] == 0) {
                _packedOwnerships[next] = prev;
                _runStarts[next >> 8] |= 1 << (next & 255);
            }
        }
    }

    /// @dev The ownership word of an existing token; reverts for an ID never minted or burned.
    function _packedOwnershipOf(uint256 tokenId) private view returns (uint256 packed) {
        if (tokenId == 0 || tokenId >= _nextTokenId()) revert ERC721NonexistentToken(tokenId);
        packed = _packedOwnerships[tokenId];
        if (packed == 0) packed = _scan(tokenId);
        if (packed & _BURNED != 0) revert ERC721NonexistentToken(tokenId);
    }

    /// @dev The nearest written ownership word below a minted, unwritten ID: the slot of the
    /// highest bit of {_runStarts} below it (see there). The batch's first ID is marked, so the
    /// search ends within the batch, after reading one bitmap word per 256 IDs crossed.
    function _scan(uint256 tokenId) private view returns (uint256 packed) {
        unchecked {
            uint256 word = tokenId >> 8;
            // the bits of IDs word * 256 .. tokenId
            uint256 bits = _runStarts[word] & (type(uint256).max >> (255 - (tokenId & 255)));
            while (bits == 0) bits = _runStarts[--word];
            packed = _packedOwnerships[(word << 8) | Math.log2(bits)];
        }
    }
}
