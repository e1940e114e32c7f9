"""The local block store: content-addressed blocks in files, the `local` backend's storage.

A block lives at ``<root>/<last 2 chars of key>/<key>``, where the key is the lowercase base32
of its multihash (as Kubo's flatfs does), so a CIDv0 and a CIDv1 of the same bytes share a file.
Each block is written to a temporary file and renamed into place: a reader never sees a partial
block, and a block that is damaged at rest is caught on read, where every block is re-hashed.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

from nft_toolkit.atomic import open_write
from nft_toolkit.errors import ContentError, IntegrityError
from nft_toolkit.ipfs.cid import DAG_PB, SHA2_256, Cid

_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)


class BlockStore:
    """Blocks on disk under `root`; `get_block` makes it a BlockSource."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._root = os.fspath(root)

    @staticmethod
    def _key(cid: Cid) -> str:
        """The block's file name: the lowercase base32 of its multihash."""
        return base64.b32encode(cid.multihash).decode("ascii").rstrip("=").lower()

    def _path(self, cid: Cid) -> Path:
        key = self._key(cid)
        return self.root / key[-3:-1] / key

    def block_path(self, cid: Cid | str) -> Path:
        """The file that holds (or would hold) the block of `cid`, in the layout above.

        Reading or writing it bypasses the hash check of `get_block`: it is for tools that
        inspect, copy or repair a store, and for demos and tests that damage a block on purpose.
        """
        return self._path(Cid.coerce(cid))

    def has(self, cid: Cid) -> bool:
        return self._path(cid).is_file()

    def put(self, cid: Cid, block: bytes) -> None:
        """Stores `block` under `cid`, atomically; a block already present with these bytes is
        left alone, one damaged at rest (other bytes) is written again: so `pin` repairs a store.

        The caller vouches that `block` hashes to `cid` (the importer just computed it);
        use `put_verified` for bytes from elsewhere.
        """
        path = self._path(cid)
        try:
            with open(path, "rb") as held:
                if held.read(len(block) + 1) == block:
                    return
        except FileNotFoundError:
            pass
        # No fsync per block: a collection has thousands, and every read re-hashes them.
        with open_write(path, durable=False) as fh:
            fh.write(block)

    def put_verified(self, cid: Cid, block: bytes) -> None:
        cid.verify(block)
        self.put(cid, block)

    def get_block(self, cid: Cid | str) -> bytes:
        """The block for `cid`, checked against it (IntegrityError if damaged at rest).

        Read with os calls on a str path: an audit reads two blocks per token, and pathlib's
        objects cost more than the read itself."""
        cid = Cid.coerce(cid)
        key = self._key(cid)
        try:
            fd = os.open(f"{self._root}/{key[-3:-1]}/{key}", _READ)
        except FileNotFoundError:
            raise ContentError(f"block {cid} is not in the local store {self.root}") from None
        try:
            size = os.fstat(fd).st_size
            block = os.read(fd, size + 1)  # one byte more: a file that grew is read in full
            while len(block) > size:
                more = os.read(fd, 1 << 20)
                if not more:
                    break
                block += more
        finally:
            os.close(fd)
        cid.verify(block)
        return block

    def damaged(self) -> Iterator[Cid]:
        """Every stored block whose bytes do not hash to its CID (damaged at rest), read and
        hashed one by one."""
        for cid in self:
            try:
                self.get_block(cid)
            except IntegrityError:
                yield cid
            except ContentError:  # removed meanwhile
                continue

    def __iter__(self) -> Iterator[Cid]:
        """The multihash of every stored block, as a CIDv0-style dag-pb Cid."""
        if not self.root.is_dir():
            return
        for shard in sorted(self.root.iterdir()):
            for path in sorted(shard.iterdir()):
                if path.name.startswith("."):
                    continue
                mh = base64.b32decode(path.name.upper() + "=" * (-len(path.name) % 8))
                if mh[:2] == bytes([SHA2_256, 32]):
                    yield Cid.make(0, DAG_PB, mh[2:])
