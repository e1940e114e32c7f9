"""The environment variables that enable the live tests (a real Kubo node, a real pinning service)."""

from __future__ import annotations

LIVE_KUBO_API = "NFT_TOOLKIT_LIVE_KUBO_API"  # e.g. /ip4/127.0.0.1/tcp/5001/http
LIVE_PINNING_URL = "NFT_TOOLKIT_LIVE_PINNING_URL"  # e.g. https://api.pinata.cloud/psa
LIVE_PINNING_TOKEN = "NFT_TOOLKIT_LIVE_PINNING_TOKEN"
# The service fetches the collection from the live Kubo node (its only provider), so it needs both.
LIVE_ENV = {"kubo": (LIVE_KUBO_API,),
            "pinning-service": (LIVE_PINNING_URL, LIVE_PINNING_TOKEN, LIVE_KUBO_API)}
