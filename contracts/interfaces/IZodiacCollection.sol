// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/**
 * @title IZodiacCollection
 * @notice The collection-specific surface of {ZodiacCollection}, beyond ERC-721, ERC-2981,
 * ERC-4906 and AccessControl: issuance, metadata commitments and the checks a verifier reads.
 */
interface IZodiacCollection {
    /// @notice The base URI can no longer change.
    error MetadataIsFrozen();
    /// @notice Freezing needs a base URI to freeze.
    error EmptyBaseURI();
    /// @notice The provenance hash was already set; it is set once.
    error ProvenanceAlreadySet();
    /// @notice The provenance hash must be committed before the first mint.
    error MintingAlreadyStarted();
    /// @notice The provenance hash must not be zero.
    error InvalidProvenanceHash();
    /// @notice The collection is non-transferable: transfers and approvals are disabled.
    error NonTransferable();
    /// @notice The collection's policy is gift-after-hold: no approvals or operators, only the
    /// holder may give a token.
    error ApprovalsDisabled();
    /// @notice `tokenId` has not been held long enough to be given; it may be from `transferableAt`
    /// (a block timestamp, seconds since the epoch).
    error HoldNotOver(uint256 tokenId, uint256 transferableAt);
    /// @notice The constructor was given an unknown policy, or a hold period that does not fit it
    /// (gift-after-hold needs at least one day, the other policies none).
    error InvalidTransferPolicy(uint8 policy, uint256 holdDays);

    /// @notice The base URI of every token's metadata is now `baseURI`.
    event BaseURIUpdated(string baseURI);
    /// @notice The base URI is frozen at `baseURI`, permanently.
    event MetadataFrozen(string baseURI);
    /// @notice The provenance hash of the collection's artwork was committed.
    event ProvenanceHashSet(bytes32 provenanceHash);
    /// @notice The contract-level metadata changed (ERC-7572).
    event ContractURIUpdated();

    /// @notice Mints `quantity` tokens with the next sequential IDs to `to`. Minter only.
    /// @param to the receiver; not checked for ERC721Receiver support (see {safeMint})
    /// @param quantity how many tokens, at least one, within the supply cap
    function mint(address to, uint256 quantity) external;

    /// @notice {mint}, guarded for pipelined mints: reverts with `UnexpectedFirstId(firstId, next)`
    /// unless the first token minted gets ID `firstId`, so a transaction signed for IDs another
    /// mint has taken reverts instead of minting other IDs. Minter only.
    /// @param to the receiver; not checked for ERC721Receiver support (see {safeMint})
    /// @param quantity how many tokens, at least one, within the supply cap
    /// @param firstId the ID the first token must get: the contract's next ID, at least one
    function mint(address to, uint256 quantity, uint256 firstId) external;

    /// @notice Like {mint}, then calls `onERC721Received` for each token when `to` is a contract.
    /// Minter only.
    /// @param to the receiver
    /// @param quantity how many tokens
    function safeMint(address to, uint256 quantity) external;

    /// @notice {safeMint} with the first-ID guard of the three-argument {mint}. Minter only.
    /// @param to the receiver
    /// @param quantity how many tokens
    /// @param firstId the ID the first token must get: the contract's next ID, at least one
    function safeMint(address to, uint256 quantity, uint256 firstId) external;

    /// @notice Mints `quantities[i]` tokens to `recipients[i]` for every i, in one transaction.
    /// Minter only.
    /// @param recipients the receivers, in minting order
    /// @param quantities how many tokens each receiver gets, each at least one
    function airdrop(address[] calldata recipients, uint256[] calldata quantities) external;

    /// @notice {airdrop} with the first-ID guard of the three-argument {mint}: the first token of
    /// the airdrop must get ID `firstId`. Minter only.
    /// @param recipients the receivers, in minting order
    /// @param quantities how many tokens each receiver gets, each at least one
    /// @param firstId the ID the first token must get: the contract's next ID, at least one
    function airdrop(address[] calldata recipients, uint256[] calldata quantities, uint256 firstId) external;

    /// @notice Burns `tokenId`. Its owner or an approved account only.
    /// @param tokenId the token to burn
    function burn(uint256 tokenId) external;

    /// @notice Pauses minting. Admin only.
    function pauseMinting() external;

    /// @notice Resumes minting. Admin only.
    function unpauseMinting() external;

    /// @notice Sets the base URI of the token metadata, an `ipfs://<CID>/`. Admin only, while not
    /// frozen. Emits ERC-4906 {BatchMetadataUpdate} over all IDs.
    /// @param newBaseURI the new base URI; `tokenURI(id)` is `newBaseURI` + id + ".json"
    function setBaseURI(string calldata newBaseURI) external;

    /// @notice Makes the base URI permanent. Irreversible. Admin only.
    function freezeMetadata() external;

    /// @notice Commits the provenance hash of the artwork: once, before the first mint. Admin only.
    /// @param hash sha256 over the per-token image sha256 digests in token order
    function setProvenanceHash(bytes32 hash) external;

    /// @notice Sets the contract-level metadata URI (ERC-7572). Admin only.
    /// @param uri the URI of the collection's metadata JSON
    function setContractURI(string calldata uri) external;

    /// @notice The contract-level metadata URI (ERC-7572).
    function contractURI() external view returns (string memory);

    /// @notice The base URI of the token metadata.
    function baseURI() external view returns (string memory);

    /// @notice Whether the base URI is frozen.
    function metadataFrozen() external view returns (bool);

    /// @notice The committed provenance hash, zero until set.
    function provenanceHash() external view returns (bytes32);

    /// @notice The account that deployed the collection: the trust anchor of verification.
    function issuer() external view returns (address);

    /// @notice The zodiac year of the collection, e.g. 2026 for the Year of the Horse.
    function zodiacYear() external view returns (uint16);

    /// @notice Whether tokens are non-transferable (soulbound): fixed at deployment; true exactly
    /// when {transferPolicy} is 1.
    function nonTransferable() external view returns (bool);

    /// @notice The transfer policy, fixed at deployment: 0 free, 1 non-transferable, 2 gift after
    /// hold (only the holder may give a token, once held for {holdSeconds}; no approvals).
    function transferPolicy() external view returns (uint8);

    /// @notice The hold period of the gift-after-hold policy, in seconds (whole days); zero for
    /// the other policies.
    function holdSeconds() external view returns (uint256);

    /// @notice The hold period of the gift-after-hold policy, in whole days; zero for the others.
    function holdDays() external view returns (uint256);

    /// @notice The block timestamp (seconds since the epoch) at which the current owner of
    /// `tokenId` received it, by mint or transfer. Reverts for a token that does not exist.
    /// @param tokenId an existing token
    function heldSince(uint256 tokenId) external view returns (uint256);

    /// @notice The first block timestamp at which `tokenId`'s holder may give it: 0 under the free
    /// policy, 2^256-1 (never) when non-transferable, `heldSince + holdSeconds` under gift after
    /// hold. Reverts for a token that does not exist.
    /// @param tokenId an existing token
    function transferableAt(uint256 tokenId) external view returns (uint256);
}
