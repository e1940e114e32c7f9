"""The one exception hierarchy of nft-toolkit.

Every error a user can cause or meet derives from :class:`NftToolkitError`. Each class carries
the process exit code the CLI maps it to (see ../DESIGN.md: 2 usage or configuration error,
3 unverifiable), so the mapping lives here and nowhere else::

    NftToolkitError                 exit 2
    ├── ConfigError                 exit 2  a bad collection.yaml, layer folder or option
    ├── InputError                  exit 2  a bad file, address, CSV or argument
    ├── ContractError               exit 2  compile artifacts, deployment records
    ├── GenerationError             exit 2  a render worker failed (disk full, out of memory)
    ├── ChainError                  exit 3  the chain cannot be reached or answers wrongly
    ├── ContentError                exit 3  IPFS content cannot be fetched or is too large
    │   └── IntegrityError          exit 3  bytes that do not hash to their CID (verify: tampered)
    └── PinningError                exit 3  a pinning backend unreachable or failing (a token
                                            it refuses is a ConfigError: exit 2)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1  # the check ran and the item is not authentic
EXIT_USAGE = 2
EXIT_UNVERIFIABLE = 3


class NftToolkitError(Exception):
    """Base of every nft-toolkit error; its message is one line meant for the user."""

    exit_code: int = EXIT_USAGE


class ConfigError(NftToolkitError):
    """A configuration file or option is invalid; the message names the file, key and fix."""


class InputError(NftToolkitError):
    """A user-supplied input (file, address, CSV row, CID, argument) is invalid."""


class RowErrors(InputError):
    """Several rows of one input file are invalid: a one-line summary, then one line per row
    (``FILE:LINE: …``), so a list is cleaned in one run rather than one run per row."""

    def __init__(self, summary: str, rows: list[str]) -> None:
        super().__init__(summary)
        self.rows = tuple(rows)


class ContractError(NftToolkitError):
    """A contract artifact or deployment record is missing, stale or inconsistent."""


class GenerationError(NftToolkitError):
    """Artwork generation failed in a worker process; the previous build is left in place."""


class ChainError(NftToolkitError):
    """The chain is unreachable, on the wrong chain id, or a transaction failed."""

    exit_code = EXIT_UNVERIFIABLE


class ContentError(NftToolkitError):
    """IPFS content could not be retrieved within the size and time bounds."""

    exit_code = EXIT_UNVERIFIABLE


class IntegrityError(ContentError):
    """Bytes received for a CID do not hash to it: the content was altered on its way or at rest.

    A verifier reports this as ``tampered``, where other ContentErrors (unreachable, too large)
    are ``unverifiable``.
    """


class PinningError(NftToolkitError):
    """A pinning backend failed after retries, refused the content or answered wrongly."""

    exit_code = EXIT_UNVERIFIABLE
