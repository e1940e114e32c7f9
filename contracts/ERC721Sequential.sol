// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ERC165, IERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";

/**
 * @title ERC721Sequential
 * @notice ERC-721 core for collections minted in sequential batches, token IDs from 1.
 * @dev Follows the storage design of ERC721A (Chiru Labs): a batch mint writes the owner once, at
 * the batch's first ID, with the time of arrival, and the batch's other IDs rely on that word.
 * Unlike ERC721A, a transfer or burn never overwrites a word other tokens rely on, nor initializes
 * the next ID: it writes the token's own word, in its ownership slot or, for the first token of a
 * batch of more than one, in a second array. And a token inside a batch finds its batch's word
 * without reading the slots on the way: the first IDs of batches of more than one token are kept
 * in a sorted log, the newest one to four inside the mint-time word (which every mint reads and
 * writes anyway), older ones packed eight to a slot, moved there four at a time; a lookup is a
 * binary search over it. So the index costs a mint no storage write of its own but one fresh slot
 * per eight such batches (and one write to it after four), and a token of any batch transfers for
 * about the same gas (tests/contracts/test_batch_log.py). The next ID, the pause flag, the log's
 * newest entries and whether the deployer may mint without a role check share one storage word,
 * the cap is an immutable, and the ownership words sit in fixed-size arrays indexed by ID instead
 * of mappings, so a guarded mint costs less than ERC721A's unguarded one. Token IDs are below 2^32.
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
    /// @notice A mint that names its first token ID would not mint from it: another mint landed
    /// first (or an earlier one failed), so the IDs are not the ones the caller planned.
    /// @param expected the first ID the caller planned
    /// @param next the contract's next ID
    error UnexpectedFirstId(uint256 expected, uint256 next);

    /// @notice Minting was paused by `account`.
    event MintingPaused(address account);
    /// @notice Minting was resumed by `account`.
    event MintingUnpaused(address account);

    // Ownership word: owner in bits 0-159, at bit 160 whether it is the word of a batch of more than
    // one token (written by the mint at the batch's first ID), burned at bit 161, and in bits 192-255 the block timestamp at
    // which the owner received the token (ERC721A's `startTimestamp`): written in the same store as
    // the owner, so it costs a mint no storage write of its own.
    uint256 private constant _HEAD = 1 << 160;
    uint256 private constant _BURNED = 1 << 161;
    uint256 private constant _SINCE_SHIFT = 192;

    // The mint-time word: what a mint must read, in one storage slot, so a mint reads it once and
    // writes it once. Bits 0-127 hold the newest entries of the batch log (see {_batchLog}), one to
    // four first IDs of 32 bits, the oldest in bits 0-31; bits 128-158 the number of entries ever
    // logged; bit 159 whether the primary minter (the deployer) may mint without a role check
    // (see {_checkMint}); bits 160-223 the next token ID; bit 224 the pause flag.
    uint256 private constant _LANE = 0xffffffff;
    uint256 private constant _BUFFER = type(uint128).max;
    uint256 private constant _COUNT_SHIFT = 128;
    uint256 private constant _COUNT_MASK = (1 << 31) - 1;
    uint256 private constant _PRIMARY = 1 << 159;
    uint256 private constant _NEXT_SHIFT = 160;
    uint256 private constant _NEXT_MASK = uint256(type(uint64).max) << 160;
    uint256 private constant _PAUSED = 1 << 224;
    // The length of the ownership arrays: every token ID is below it, and fits a log entry.
    uint256 private constant _ID_LIMIT = 1 << 32;
    // keccak256("Transfer(address,address,uint256)")
    bytes32 private constant _TRANSFER_TOPIC = 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef;

    uint256 private immutable _MAX_SUPPLY;
    // The deployer: the one account whose mints may skip the extension's authorization, while the
    // {_PRIMARY} bit of the mint-time word is set.
    address private immutable _PRIMARY_MINTER;

    uint256 private _mintWord;
    uint256 private _burnedCount;

    string private _name;
    string private _symbol;

    // Ownership words by token ID, in fixed-size arrays rather than mappings: the word of ID i
    // lives at the variable's slot + i, so no access pays for a keccak256 (~40 gas; {_mint} writes
    // the slot from assembly and skips the bounds check too, ~35 more). A hashed slot falls among
    // them with odds of 2^-222; the cap keeps every ID inside.
    // `_ownerships[id]` is, at the first ID of a batch of more than one token, the batch's word
    // (with {_HEAD}), written by the mint and never again; at a token minted alone, its word; at an
    // ID inside a batch, zero until the token moves, then the token's word.
    uint256[_ID_LIMIT] private _ownerships;
    // `_headWords[id]`: for a batch's first ID, zero until the token moves, then its word.
    uint256[_ID_LIMIT] private _headWords;
    // The batch log: the first ID of every batch of more than one token, ascending, entry i in bits
    // 32 * (i % 8) of slot i / 8; the newest one to four are in the mint-time word instead. A token
    // whose own slot is empty is inside a batch, whose first ID is the greatest entry not above it.
    uint256[_ID_LIMIT >> 4] private _batchLog;
    mapping(address owner => uint256) private _balances;
    mapping(uint256 tokenId => address) private _tokenApprovals;
    mapping(address owner => mapping(address operator => bool)) private _operatorApprovals;

    constructor(string memory name_, string memory symbol_, uint256 maxSupply_) {
        _name = name_;
        _symbol = symbol_;
        // Every ID must index the ownership arrays (and so fits a 32-bit entry of the batch log).
        _MAX_SUPPLY = maxSupply_ < _ID_LIMIT - 1 ? maxSupply_ : _ID_LIMIT - 1;
        _PRIMARY_MINTER = _msgSender();
        _mintWord = 1 << _NEXT_SHIFT;
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
        uint256 word = _mintWord;
        uint256 next = (word & _NEXT_MASK) >> _NEXT_SHIFT;
        if (first == 0) first = 1;
        if (last >= next) last = next - 1;
        if (last < first) return owners;
        owners = new address[](last - first + 1);
        uint256 batch = 0; // the word of the batch in force, zero until one is found
        for (uint256 id = first; id <= last; ++id) {
            uint256 packed = _ownerships[id];
            if (packed == 0) {
                if (batch == 0) batch = _ownerships[_batchStart(id, word)];
                packed = batch;
            } else if (packed & _HEAD != 0) {
                batch = packed;
                uint256 moved = _headWords[id];
                if (moved != 0) packed = moved;
            }
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
        (uint256 packed,) = _lookup(tokenId);
        return packed & _BURNED == 0;
    }

    /// @dev The one path of every transfer: checks ownership, the rules of
    /// {_checkTransferRules} and approval, clears the token's approval, moves it; the receiver's time of
    /// arrival is now. Writes the token's own word only: the other tokens of its batch keep relying
    /// on the batch's word.
    function _transfer(address from, address to, uint256 tokenId) internal virtual {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        (uint256 prev, bool head) = _lookup(tokenId);
        if (prev & _BURNED != 0) revert ERC721NonexistentToken(tokenId);
        address owner = address(uint160(prev));
        if (owner != from) revert ERC721IncorrectOwner(from, tokenId, owner);
        _checkTransferRules(tokenId, prev >> _SINCE_SHIFT, false);
        _clearApprovalChecked(owner, tokenId);
        unchecked {
            --_balances[from];
            ++_balances[to];
        }
        _setTokenWord(tokenId, head, uint256(uint160(to)) | (block.timestamp << _SINCE_SHIFT));
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
        (uint256 prev, bool head) = _lookup(tokenId);
        if (prev & _BURNED != 0) revert ERC721NonexistentToken(tokenId);
        address owner = address(uint160(prev));
        _clearApprovalChecked(owner, tokenId);
        unchecked {
            --_balances[owner];
            ++_burnedCount;
        }
        _setTokenWord(tokenId, head, uint256(uint160(owner)) | _BURNED);
        emit Transfer(owner, address(0), tokenId);
    }

    /// @dev Mints `quantity` tokens to `to` with the next IDs, after {_checkMint}, the pause
    /// flag and the cap. This is the hot path the gas goals are about: one read and one write
    /// of the mint-time word, the balance, the batch's ownership slot, one event per token.
    function _mint(address to, uint256 quantity) internal virtual {
        _mint(to, quantity, 0);
    }

    /// @dev {_mint}, and first the guard of a pipelined mint: unless `firstId` is zero (no ID is),
    /// reverts with {UnexpectedFirstId} when the next ID is not `firstId`, so a mint signed for
    /// IDs that another transaction has taken reverts instead of minting other IDs.
    function _mint(address to, uint256 quantity, uint256 firstId) internal virtual {
        uint256 word = _mintWord;
        if (firstId != 0) _checkFirstId(word, firstId);
        if (msg.sender != _PRIMARY_MINTER || word & _PRIMARY == 0) _checkMint();
        _mintWord = _mintBatch(word, to, quantity);
    }

    /// @dev Mints `quantities[i]` tokens to `recipients[i]` for every i: one authorization, one
    /// read and one write of the mint-time word for the whole airdrop, each batch by
    /// {_mintBatch} as in {_mint}.
    /// The first ID is checked as in {_mint} unless `firstId` is zero.
    function _mintMany(address[] calldata recipients, uint256[] calldata quantities, uint256 firstId)
        internal
        virtual
    {
        if (recipients.length != quantities.length) revert LengthMismatch(recipients.length, quantities.length);
        if (recipients.length == 0) revert MintZeroQuantity();
        uint256 word = _mintWord;
        if (firstId != 0) _checkFirstId(word, firstId);
        if (msg.sender != _PRIMARY_MINTER || word & _PRIMARY == 0) _checkMint();
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
    /// moved past the batch, and the batch in the log if it has more than one token): checks the
    /// receiver, the pause flag and the cap, adds to the balance, writes the batch's word at its
    /// first ID, emits the events.
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
            // No other token relies on this word: it is the token's own, which a transfer rewrites.
            assembly ("memory-safe") {
                sstore(add(_ownerships.slot, start), or(owner, shl(_SINCE_SHIFT, timestamp())))
                log4(0, 0, topic, 0, owner, start)
            }
        } else {
            // The batch's other IDs rely on its first: its word is the batch's, and it is logged.
            word = _logBatch(word, start);
            assembly ("memory-safe") {
                sstore(add(_ownerships.slot, start), or(or(owner, _HEAD), shl(_SINCE_SHIFT, timestamp())))
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
        // next ID to `end` and leaves the other bits (the log's, below), with no mask.
        unchecked {
            return word + (quantity << _NEXT_SHIFT);
        }
    }

    /// @dev {_mint}, then the receiver check of every token when `to` is a contract. A receiver
    /// that mints during its callback makes the whole mint revert.
    /// The first ID is checked as in {_mint} unless `firstId` is zero.
    function _safeMint(address to, uint256 quantity, bytes memory data, uint256 firstId) internal virtual {
        uint256 start = _nextTokenId();
        _mint(to, quantity, firstId);
        if (to.code.length != 0) {
            uint256 end = start + quantity;
            for (uint256 id = start; id < end; ++id) {
                ERC721Utils.checkOnERC721Received(_msgSender(), address(0), to, id, data);
            }
            if (_nextTokenId() != end) revert ReentrantMint();
        }
    }

    /// @dev Authorizes a mint by any sender but the primary minter (the deployer) while
    /// {_setPrimaryMinter} has it set; reverts if the sender may not mint. An extension that keeps
    /// the primary minter set exactly while the deployer may mint saves its mints a storage read.
    function _checkMint() internal view virtual;

    /// @dev The primary minter: the deployer.
    function _primaryMinter() internal view returns (address) {
        return _PRIMARY_MINTER;
    }

    /// @dev Sets whether the primary minter's mints skip {_checkMint}.
    function _setPrimaryMinter(bool active) internal {
        _mintWord = active ? _mintWord | _PRIMARY : _mintWord & ~_PRIMARY;
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

    /// @dev Reverts with {UnexpectedFirstId} unless the next ID in the mint-time `word` is `firstId`.
    function _checkFirstId(uint256 word, uint256 firstId) private pure {
        uint256 next = (word & _NEXT_MASK) >> _NEXT_SHIFT;
        if (next != firstId) revert UnexpectedFirstId(firstId, next);
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

    /// @dev `word` with `start`, the first ID of a batch of more than one token, appended to the
    /// batch log. The log's newest one to four entries live in the word; when four are there, a
    /// fifth first moves them to the next half of a {_batchLog} slot: a fresh slot for entries
    /// 8k to 8k+3 (22,100 gas), a write to it for 8k+4 to 8k+7 (5,000), once per four batches.
    function _logBatch(uint256 word, uint256 start) private returns (uint256) {
        unchecked {
            uint256 count = (word >> _COUNT_SHIFT) & _COUNT_MASK;
            uint256 lane = count & 3;
            if (lane == 0 && count != 0) {
                uint256 first = count - 4; // the entry in bits 0-31
                if (first & 4 != 0) _batchLog[first >> 3] |= (word & _BUFFER) << 128; // 8k+4 .. 8k+7
                else _batchLog[first >> 3] = word & _BUFFER; // 8k .. 8k+3, in a fresh slot
                word &= ~_BUFFER;
            }
            // `count` is below 2^31 (each entry takes two IDs below 2^32): no carry into bit 159.
            return (word | (start << (lane << 5))) + (1 << _COUNT_SHIFT);
        }
    }

    /// @dev The first ID of the batch of a minted `tokenId` whose own slot is empty (so it lies
    /// inside a batch of more than one token): the greatest entry of the batch log not above it,
    /// found in the mint-time `word` or by a binary search over {_batchLog}, one slot read per
    /// halving (an issuer's 100 batches of 100 tokens: 13 slots, at most 5 reads). Zero if there
    /// is none, which never happens for such a token.
    function _batchStart(uint256 tokenId, uint256 word) private view returns (uint256) {
        unchecked {
            uint256 count = (word >> _COUNT_SHIFT) & _COUNT_MASK;
            if (count == 0) return 0;
            uint256 buffered = ((count - 1) & 3) + 1;
            for (uint256 i = buffered; i != 0;) {
                uint256 entry = (word >> (--i << 5)) & _LANE;
                if (entry <= tokenId) return entry;
            }
            uint256 stored = count - buffered;
            // the last slot whose first entry is not above tokenId
            uint256 low = 0;
            uint256 high = (stored + 7) >> 3;
            while (high - low > 1) {
                uint256 mid = (low + high) >> 1;
                if (_batchLog[mid] & _LANE <= tokenId) low = mid;
                else high = mid;
            }
            uint256 entries = _batchLog[low];
            uint256 lanes = stored - (low << 3);
            for (uint256 i = lanes < 8 ? lanes : 8; i != 0;) {
                uint256 entry = (entries >> (--i << 5)) & _LANE;
                if (entry <= tokenId) return entry;
            }
            return 0;
        }
    }

    /// @dev The word of a minted `tokenId` (burned or not), and whether its own slot holds its
    /// batch's word (so its own word, once it moves, goes in {_headWords}); reverts for an ID never
    /// minted.
    function _lookup(uint256 tokenId) private view returns (uint256 packed, bool head) {
        uint256 word = _mintWord;
        if (tokenId == 0 || tokenId >= (word & _NEXT_MASK) >> _NEXT_SHIFT) revert ERC721NonexistentToken(tokenId);
        packed = _ownerships[tokenId];
        if (packed == 0) {
            packed = _ownerships[_batchStart(tokenId, word)];
            if (packed == 0) revert ERC721NonexistentToken(tokenId); // unreachable: see {_batchStart}
        } else if (packed & _HEAD != 0) {
            head = true;
            uint256 moved = _headWords[tokenId];
            if (moved != 0) packed = moved;
        }
    }

    /// @dev Writes the word of `tokenId` after it moved: in {_headWords} when its own slot holds its
    /// batch's word (`head`), which the batch's other tokens still rely on; else in its own slot.
    function _setTokenWord(uint256 tokenId, bool head, uint256 packed) private {
        if (head) _headWords[tokenId] = packed;
        else _ownerships[tokenId] = packed;
    }

    /// @dev The word of an existing token; reverts for an ID never minted or burned.
    function _packedOwnershipOf(uint256 tokenId) private view returns (uint256 packed) {
        (packed,) = _lookup(tokenId);
        if (packed & _BURNED != 0) revert ERC721NonexistentToken(tokenId);
    }
}
