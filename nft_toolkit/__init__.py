"""nft-toolkit: issue and verify NFT digital collections.

The library is the product; the ``nft-toolkit`` CLI and the Brownie scripts are thin shells
over it.
"""

__version__ = "0.1.0"
