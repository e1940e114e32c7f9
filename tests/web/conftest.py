"""The web service's collection on a real ganache, and two services over it: the official
collection, and a customer given a look-alike contract's address."""

from __future__ import annotations

from pathlib import Path

import pytest

from nft_toolkit.web.service import Options
from tests.support.browser import chromium, screenshot_dir
from tests.support.web import LiveServer, WebCollection, web_collection


@pytest.fixture(scope="package")
def web_items(tmp_path_factory: pytest.TempPathFactory):
    found = web_collection(tmp_path_factory.mktemp("web") / "horse")
    try:
        yield found
    finally:
        found.stop()


@pytest.fixture(scope="package")
def site(web_items: WebCollection):
    with LiveServer(Options(project_dir=str(web_items.project.root))) as server:
        yield server


@pytest.fixture(scope="package")
def lookalike_site(web_items: WebCollection):
    with LiveServer(Options(project_dir=str(web_items.project.root),
                            contract=web_items.lookalike)) as server:
        yield server


@pytest.fixture(scope="package")
def browser():
    """One headless chromium for the package's browser tests."""
    with chromium() as found:
        yield found


@pytest.fixture(scope="package")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return screenshot_dir(tmp_path_factory.mktemp("screens"))
