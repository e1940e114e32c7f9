"""Verification: is token N of a collection authentic? (the chain of trust of DESIGN.md)

- :mod:`~nft_toolkit.verify.report`: verdicts, checks, exit codes and the ``--json`` object;
- :mod:`~nft_toolkit.verify.sources`: what the verifier reads, as two small interfaces
  (:class:`ChainReader`, :class:`ContentReader`) and their implementations over web3 and IPFS;
- :mod:`~nft_toolkit.verify.trust`: the seven links for one token, pure logic over those readers;
- :mod:`~nft_toolkit.verify.audit`: every token of a collection with batched reads;
- :mod:`~nft_toolkit.verify.identify`: which token is this picture?
"""

from nft_toolkit.verify.report import Check, Report, Verdict

__all__ = ["Check", "Report", "Verdict"]
