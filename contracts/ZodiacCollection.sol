// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";
import {ERC2981} from "@openzeppelin/contracts/token/common/ERC2981.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {ERC721Sequential} from "./ERC721Sequential.sol";
import {IERC5192} from "./interfaces/IERC5192.sol";
import {IZodiacCollection} from "./interfaces/IZodiacCollection.sol";

/**
 * @title ZodiacCollection
 * @notice An issuer's zodiac-year collection: sequential token IDs from 1 under a fixed cap,
 * metadata on IPFS that can be frozen, a provenance hash committed before minting, ERC-2981
 * royalties, and a transfer policy fixed at deployment: free, non-transferable (soulbound, with
 * ERC-5192), or gift-after-hold (only the holder may give a token, and only once it has held it
 * for the hold period; no approvals, so no marketplace operator can move it).
 * @dev The deployer is the issuer: it receives the admin and minter roles, and `issuer()` is an
 * immutable that verifiers compare with the issuer address they trust.
 * Minting is authorized in {_checkMint}, the one path of every mint. The minter role lives in
 * AccessControl as usual; whether the issuer holds it is also kept as one bit of the mint-time
 * storage word, so the issuer's mints cost no extra storage read. The bit is kept equal to the
 * role by {_grantRole} and {_revokeRole}: it never authorizes the issuer without the role.
 * The transfer policy is enforced in {_checkTransferRules}, which every transfer, approval and
 * operator approval passes.
 */
contract ZodiacCollection is ERC721Sequential, AccessControl, ERC2981, IERC4906, IERC5192, IZodiacCollection {
    /// @notice The role allowed to mint.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Transfer policy: tokens move freely, approvals and operators included.
    uint8 public constant FREE = 0;
    /// @notice Transfer policy: tokens never move except by mint and burn (ERC-5192 locked).
    uint8 public constant NON_TRANSFERABLE = 1;
    /// @notice Transfer policy: only the holder may give a token, once it has held it for
    /// {holdSeconds}; no approvals or operators.
    uint8 public constant GIFT_AFTER_HOLD = 2;

    /// @inheritdoc IZodiacCollection
    address public immutable issuer;
    /// @inheritdoc IZodiacCollection
    uint16 public immutable zodiacYear;
    /// @inheritdoc IZodiacCollection
    bool public immutable nonTransferable;
    /// @inheritdoc IZodiacCollection
    uint8 public immutable transferPolicy;
    /// @inheritdoc IZodiacCollection
    uint256 public immutable holdSeconds;

    string private _baseTokenURI;
    string private _contractURI;
    /// @inheritdoc IZodiacCollection
    bytes32 public provenanceHash;
    /// @inheritdoc IZodiacCollection
    bool public metadataFrozen;

    /**
     * @param name_ the collection name
     * @param symbol_ the token symbol
     * @param year the zodiac year
     * @param maxSupply_ the supply cap
     * @param royaltyReceiver receives ERC-2981 royalties
     * @param royaltyBps the royalty rate in basis points (at most 10,000)
     * @param transferPolicy_ {FREE}, {NON_TRANSFERABLE} or {GIFT_AFTER_HOLD}
     * @param holdDays_ for {GIFT_AFTER_HOLD}, the whole days a holder must hold a token before
     * giving it, at least one; zero for the other policies
     */
    constructor(
        string memory name_,
        string memory symbol_,
        uint16 year,
        uint256 maxSupply_,
        address royaltyReceiver,
        uint96 royaltyBps,
        uint8 transferPolicy_,
        uint32 holdDays_
    ) ERC721Sequential(name_, symbol_, maxSupply_) {
        if (transferPolicy_ > GIFT_AFTER_HOLD || (transferPolicy_ == GIFT_AFTER_HOLD) != (holdDays_ != 0)) {
            revert InvalidTransferPolicy(transferPolicy_, holdDays_);
        }
        issuer = _msgSender();
        zodiacYear = year;
        transferPolicy = transferPolicy_;
        holdSeconds = uint256(holdDays_) * 1 days;
        nonTransferable = transferPolicy_ == NON_TRANSFERABLE;
        _grantRole(DEFAULT_ADMIN_ROLE, _msgSender());
        _grantRole(MINTER_ROLE, _msgSender());
        _setDefaultRoyalty(royaltyReceiver, royaltyBps);
    }

    /// @inheritdoc IZodiacCollection
    function mint(address to, uint256 quantity) external {
        _mint(to, quantity);
        if (transferPolicy == NON_TRANSFERABLE) _emitLocked(quantity);
    }

    /// @inheritdoc IZodiacCollection
    function mint(address to, uint256 quantity, uint256 firstId) external {
        _mint(to, quantity, _guard(firstId));
        if (transferPolicy == NON_TRANSFERABLE) _emitLocked(quantity);
    }

    /// @inheritdoc IZodiacCollection
    function safeMint(address to, uint256 quantity) external {
        _safeMint(to, quantity, "", 0);
        if (transferPolicy == NON_TRANSFERABLE) _emitLocked(quantity);
    }

    /// @inheritdoc IZodiacCollection
    function safeMint(address to, uint256 quantity, uint256 firstId) external {
        _safeMint(to, quantity, "", _guard(firstId));
        if (transferPolicy == NON_TRANSFERABLE) _emitLocked(quantity);
    }

    /// @inheritdoc IZodiacCollection
    function airdrop(address[] calldata recipients, uint256[] calldata quantities) external {
        _airdrop(recipients, quantities, 0);
    }

    /// @inheritdoc IZodiacCollection
    function airdrop(address[] calldata recipients, uint256[] calldata quantities, uint256 firstId) external {
        _airdrop(recipients, quantities, _guard(firstId));
    }

    /// @inheritdoc IZodiacCollection
    function burn(uint256 tokenId) external {
        _burn(tokenId);
    }

    /// @inheritdoc IZodiacCollection
    function pauseMinting() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMintingPaused(true);
    }

    /// @inheritdoc IZodiacCollection
    function unpauseMinting() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMintingPaused(false);
    }

    /// @inheritdoc IZodiacCollection
    function setBaseURI(string calldata newBaseURI) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (metadataFrozen) revert MetadataIsFrozen();
        _baseTokenURI = newBaseURI;
        emit BaseURIUpdated(newBaseURI);
        emit BatchMetadataUpdate(1, type(uint256).max);
    }

    /// @inheritdoc IZodiacCollection
    function freezeMetadata() external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (metadataFrozen) revert MetadataIsFrozen();
        if (bytes(_baseTokenURI).length == 0) revert EmptyBaseURI();
        metadataFrozen = true;
        emit MetadataFrozen(_baseTokenURI);
    }

    /// @inheritdoc IZodiacCollection
    function setProvenanceHash(bytes32 hash) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (hash == bytes32(0)) revert InvalidProvenanceHash();
        if (provenanceHash != bytes32(0)) revert ProvenanceAlreadySet();
        if (totalMinted() != 0) revert MintingAlreadyStarted();
        provenanceHash = hash;
        emit ProvenanceHashSet(hash);
    }

    /// @inheritdoc IZodiacCollection
    function setContractURI(string calldata uri) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _contractURI = uri;
        emit ContractURIUpdated();
    }

    /// @inheritdoc IZodiacCollection
    function holdDays() external view returns (uint256) {
        return holdSeconds / 1 days;
    }

    /// @inheritdoc IZodiacCollection
    function heldSince(uint256 tokenId) public view returns (uint256) {
        return _heldSince(tokenId);
    }

    /// @inheritdoc IZodiacCollection
    function transferableAt(uint256 tokenId) external view returns (uint256) {
        uint256 since = _heldSince(tokenId);
        if (transferPolicy == FREE) return 0;
        if (transferPolicy == NON_TRANSFERABLE) return type(uint256).max;
        return since + holdSeconds;
    }

    /// @notice ERC-5192: whether `tokenId` is bound to its owner for good; true for every token
    /// of a {NON_TRANSFERABLE} collection and for no other. Reverts for a token that does not
    /// exist (never minted or burned).
    /// @param tokenId an existing token
    function locked(uint256 tokenId) external view returns (bool) {
        _heldSince(tokenId);
        return transferPolicy == NON_TRANSFERABLE;
    }

    /// @inheritdoc IZodiacCollection
    function contractURI() external view returns (string memory) {
        return _contractURI;
    }

    /// @inheritdoc IZodiacCollection
    function baseURI() external view returns (string memory) {
        return _baseTokenURI;
    }

    /// @notice The metadata URI of `tokenId`: the base URI, the ID and ".json".
    /// @param tokenId an existing token
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        if (!_exists(tokenId)) revert ERC721NonexistentToken(tokenId);
        string memory base = _baseTokenURI;
        if (bytes(base).length == 0) return "";
        return string.concat(base, Strings.toString(tokenId), ".json");
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(ERC721Sequential, AccessControl, ERC2981, IERC165)
        returns (bool)
    {
        return interfaceId == bytes4(0x49064906) // ERC-4906
            || (interfaceId == type(IERC5192).interfaceId && transferPolicy == NON_TRANSFERABLE)
            || ERC721Sequential.supportsInterface(interfaceId) || AccessControl.supportsInterface(interfaceId)
            || ERC2981.supportsInterface(interfaceId);
    }

    /// @dev Mint authorization for any sender but the issuer while it holds the minter role.
    function _checkMint() internal view override {
        _checkRole(MINTER_ROLE);
    }

    /// @dev Lets the issuer's mints skip the role check once it holds the minter role.
    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && role == MINTER_ROLE && account == _primaryMinter()) _setPrimaryMinter(true);
    }

    /// @dev Makes the issuer's mints check the role again once it loses the minter role.
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && role == MINTER_ROLE && account == _primaryMinter()) _setPrimaryMinter(false);
    }

    /// @dev An airdrop, its first ID checked unless `firstId` is zero.
    function _airdrop(address[] calldata recipients, uint256[] calldata quantities, uint256 firstId) private {
        uint256 first = _nextTokenId();
        _mintMany(recipients, quantities, firstId);
        if (transferPolicy == NON_TRANSFERABLE) _emitLocked(_nextTokenId() - first);
    }

    /// @dev A caller's expected first ID for the guarded mints: zero is no token's ID (they start
    /// at one), and would skip the check, so it is refused as the next ID never equals it.
    function _guard(uint256 firstId) private view returns (uint256) {
        if (firstId == 0) revert UnexpectedFirstId(0, _nextTokenId());
        return firstId;
    }

    /// @dev In a {NON_TRANSFERABLE} collection each new token is locked from its mint, which
    /// ERC-5192 announces with a {Locked} event per token: for the last `quantity` minted.
    function _emitLocked(uint256 quantity) private {
        uint256 end = _nextTokenId();
        for (uint256 id = end - quantity; id < end; ++id) {
            emit Locked(id);
        }
    }

    /// @dev The transfer policy's one choke point (see {ERC721Sequential-_checkTransferRules}).
    /// {NON_TRANSFERABLE} refuses every transfer and approval; {GIFT_AFTER_HOLD} refuses every
    /// approval (so only the holder can move a token) and a transfer before the token has been
    /// held {holdSeconds}: allowed from the second `heldSince + holdSeconds` on.
    function _checkTransferRules(uint256 tokenId, uint256 since, bool isApproval) internal view override {
        if (transferPolicy == FREE) return;
        if (transferPolicy == NON_TRANSFERABLE) revert NonTransferable();
        if (isApproval) revert ApprovalsDisabled();
        uint256 at = since + holdSeconds;
        if (block.timestamp < at) revert HoldNotOver(tokenId, at);
    }
}
