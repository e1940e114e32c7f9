"""What tests in several folders share: builders and helpers, imported as ``tests.support.*``.

Fixtures live in conftest.py files (the root one, or a folder's own for that folder), which no
test imports; a helper two folders need lives here (tests/test_layout.py holds the rule).

- :mod:`tests.support.cli`: ``nft-toolkit`` as a user runs it (a subprocess), and a started project;
- :mod:`tests.support.collection`: a small pinned collection with tiny distinct PNGs;
- :mod:`tests.support.builds`: a build/ folder as `generate` leaves it, cheaply (the IPFS tests);
- :mod:`tests.support.art`: a generated project of small layer art, and a folder's digests;
- :mod:`tests.support.anvil`: anvil (a second chain client) with or without a fee market;
- :mod:`tests.support.harness`: chains started by `chain start`, deployed projects, the mint's
  convergence checks (fault, forgery and release tests);
- :mod:`tests.support.forgery`: lying, plain and hostile gateways, another chain;
- :mod:`tests.support.stated`: chain facts stated rather than read (no chain needed);
- :mod:`tests.support.servers`: Kubo RPC and Pinning Service API test servers;
- :mod:`tests.support.live`: the environment variables that enable the live IPFS tests.
"""
