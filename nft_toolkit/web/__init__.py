"""`nft-toolkit serve`: the verification pages and JSON API for customers, a thin shell over the
one verification engine (:mod:`nft_toolkit.verify.trust`). Start with :mod:`nft_toolkit.web.app`."""
