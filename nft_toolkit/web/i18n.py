"""The pages' words in Simplified Chinese and English, and which language a request gets.

The language is ``?lang=`` when given (and then kept in a cookie, so the switch sticks), else
the cookie, else the first of ``Accept-Language`` that the catalogue has, else Chinese (the
customers' usual language). The check details come from the engine in English: they are
evidence (addresses, CIDs, hashes), shown as they are beside a translated check name.
"""

from __future__ import annotations

from starlette.requests import Request

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
COOKIE = "lang"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "Verify a digital collectible",
        "intro": "Check whether an item is genuine, who holds it now, and why to believe it.",
        "token_id": "Token ID",
        "check": "Check",
        "or_upload": "Or upload a picture of the item",
        "picture": "Picture",
        "upload": "Check picture",
        "verdict.authentic": "Authentic",
        "verdict.tampered": "Tampered",
        "verdict.counterfeit": "Counterfeit",
        "verdict.not_minted": "Not minted",
        "verdict.unverifiable": "Cannot be verified now",
        "verdict.not_an_item": "Not an item",
        "verdict.copy": "A copy, not the item's file",
        "say.authentic": "Every link of the chain of trust holds.",
        "say.tampered": "The content does not match what the chain commits to.",
        "say.counterfeit": "Not the issuer's official collection.",
        "say.not_minted": "No such item exists on chain.",
        "say.unverifiable": "The chain or the content could not be reached; try again later.",
        "say.not_an_item": "This picture is no item of the collection.",
        "say.copy": "This picture shows an item but is not its file.",
        "edition": "Edition",
        "of": "of",
        "owner": "Current holder",
        "as_of": "as of block",
        "issuer": "Issuer",
        "contract": "Contract",
        "chain": "chain",
        "checks": "Checks",
        "mint_tx": "Mint transaction",
        "in_block": "in block",
        "not_found": "not found",
        "cids": "Identifiers",
        "asset_id": "Asset ID (CAIP-19)",
        "metadata_cid": "Metadata",
        "image_cid": "Image",
        "token_uri": "Token URI",
        "description": "Description",
        "attributes": "Attributes",
        "cli": "Check it yourself, anywhere",
        "cli_note": "The same check with the nft-toolkit command line:",
        "cli.rpc_url": "<RPC URL of chain {chain}>",
        "token": "Token",
        "file": "File",
        "error": "Error",
        "home": "Verify another item",
        "language": "中文",
        "check.contract": "Contract on chain",
        "check.runtime_code": "Audited code",
        "check.issuer": "Issuer",
        "check.admin": "Admin role",
        "check.token": "Item exists",
        "check.token_uri": "Token URI",
        "check.local_build": "Local build",
        "check.base_uri_frozen": "Content frozen",
        "check.metadata": "Metadata",
        "check.image": "Image",
        "check.provenance": "Provenance",
        "check.image_match": "Picture match",
        "mark.ok": "holds",
        "mark.failed": "fails",
        "mark.warning": "warning",
        "check.issuer_domain": "Issuer's domain",
        "issued_by": "issued by {domain}",
        "prove.title": "Prove you hold it",
        "prove.note": ("A screenshot proves nothing: the holder signs a fresh challenge with the "
                       "wallet that holds the item. Signing sends no transaction and costs "
                       "nothing."),
        "prove.button": "Prove with my wallet",
        "prove.working": "Waiting for the wallet…",
        "prove.held": "Held by the signer {holder} now (block {block}).",
        "prove.refused": "Not proven: {reason}",
        "prove.nowallet": "No wallet in this browser: sign with the command line below.",
    },
    "zh": {
        "title": "验证数字藏品",
        "intro": "查看藏品是否为真品、当前由谁持有，以及可信的依据。",
        "token_id": "藏品编号",
        "check": "验证",
        "or_upload": "或上传藏品图片",
        "picture": "图片",
        "upload": "验证图片",
        "verdict.authentic": "真品",
        "verdict.tampered": "内容被篡改",
        "verdict.counterfeit": "仿冒品",
        "verdict.not_minted": "未铸造",
        "verdict.unverifiable": "暂时无法验证",
        "verdict.not_an_item": "非本系列藏品",
        "verdict.copy": "复制品，不是藏品原文件",
        "say.authentic": "信任链的每一环均成立。",
        "say.tampered": "内容与链上承诺不一致。",
        "say.counterfeit": "不是发行方的官方系列。",
        "say.not_minted": "链上不存在该藏品。",
        "say.unverifiable": "无法连接区块链或内容来源，请稍后再试。",
        "say.not_an_item": "这张图片不是本系列的任何藏品。",
        "say.copy": "这张图片显示的是某件藏品，但不是其原文件。",
        "edition": "版次",
        "of": "/",
        "owner": "当前持有人",
        "as_of": "截至区块",
        "issuer": "发行方",
        "contract": "合约",
        "chain": "链",
        "checks": "验证项",
        "mint_tx": "铸造交易",
        "in_block": "区块",
        "not_found": "未找到",
        "cids": "标识",
        "asset_id": "资产标识 (CAIP-19)",
        "metadata_cid": "元数据",
        "image_cid": "图片",
        "token_uri": "Token URI",
        "description": "描述",
        "attributes": "属性",
        "cli": "随时随地自行验证",
        "cli_note": "用 nft-toolkit 命令行做同样的验证：",
        "cli.rpc_url": "<链 {chain} 的 RPC 地址>",
        "token": "藏品",
        "file": "文件",
        "error": "错误",
        "home": "验证其他藏品",
        "language": "English",
        "check.contract": "链上合约",
        "check.runtime_code": "已审计代码",
        "check.issuer": "发行方",
        "check.admin": "管理员权限",
        "check.token": "藏品存在",
        "check.token_uri": "Token URI",
        "check.local_build": "本地构建",
        "check.base_uri_frozen": "内容已冻结",
        "check.metadata": "元数据",
        "check.image": "图片",
        "check.provenance": "来源证明",
        "check.image_match": "图片匹配",
        "mark.ok": "通过",
        "mark.failed": "未通过",
        "mark.warning": "提醒",
        "check.issuer_domain": "发行方域名",
        "issued_by": "由 {domain} 发行",
        "prove.title": "证明您持有它",
        "prove.note": "截图不能证明持有：持有人须用持有该藏品的钱包签署一条新的验证消息。签名不会发送交易，也不产生费用。",
        "prove.button": "用我的钱包证明",
        "prove.working": "正在等待钱包…",
        "prove.held": "签名者 {holder} 当前持有（截至区块 {block}）。",
        "prove.refused": "未能证明：{reason}",
        "prove.nowallet": "此浏览器中没有钱包：请用下面的命令行签名。",
    },
}


def language(request: Request) -> str:
    """The language for `request`: ?lang=, the cookie, Accept-Language, else Chinese."""
    for chosen in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.split("-")[0] in LANGUAGES:
            return tag.split("-")[0]
    return DEFAULT


def translator(lang: str) -> dict[str, str]:
    """The catalogue of `lang` (English words fill any gap)."""
    return {**MESSAGES["en"], **MESSAGES[lang]}
