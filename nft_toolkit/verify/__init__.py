"""Verification: is token N of a collection authentic? (the chain of trust of DESIGN.md)

The public names are below (``__all__``); the modules that hold them:

- :mod:`~nft_toolkit.verify.report`: verdicts, checks, exit codes and the ``--json`` object;
- :mod:`~nft_toolkit.verify.sources`: what the verifier reads, as two small interfaces
  (:class:`ChainReader`, :class:`ContentReader`) and their implementations over web3 and IPFS;
- :mod:`~nft_toolkit.verify.trust`: the links of the chain of trust for one token
  (:func:`verify_token`), pure logic over those readers;
- :mod:`~nft_toolkit.verify.audit`: every token of a collection with batched reads (:func:`audit`);
- :mod:`~nft_toolkit.verify.identify`: which token is this picture? (:func:`identify`);
- :mod:`~nft_toolkit.verify.context`: trust, network and content from a project or from the
  options a customer gives (:func:`setup`).

Internal (may change without notice): :mod:`~nft_toolkit.verify.creation`, and every name of
the modules above that ``__all__`` does not list (the engine's ``check_*`` steps, ``guard``…).

Imported eagerly, unlike ``nft_toolkit.chain`` and ``nft_toolkit.ipfs``: every caller of the
verifier needs web3 anyway, and :func:`audit` and :func:`identify` share their modules' names
(a lazy attribute would be shadowed by the submodule once it is imported).
"""

from __future__ import annotations

from nft_toolkit.verify.audit import AuditReport, TokenResult, audit
from nft_toolkit.verify.context import Setup, setup
from nft_toolkit.verify.identify import identify
from nft_toolkit.verify.report import Check, Report, Verdict
from nft_toolkit.verify.sources import (ChainReader, ContentReader, ContractFacts, IpfsContent,
                                        Web3Reader)
from nft_toolkit.verify.trust import Trust, trust_from_manifest, verify_token

__all__ = ["AuditReport", "ChainReader", "Check", "ContentReader", "ContractFacts", "IpfsContent",
           "Report", "Setup", "TokenResult", "Trust", "Verdict", "Web3Reader", "audit",
           "identify", "setup", "trust_from_manifest", "verify_token"]
