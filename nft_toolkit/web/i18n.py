"""The pages' words in Simplified Chinese and English, and which language a request gets.

The language is ``?lang=`` when given (and then kept in a cookie, so the switch sticks), else
the cookie, else the catalogue's language ``Accept-Language`` weighs highest, else Chinese (the
customers' usual language). The engine's check details are English; a check that carries
a code (:attr:`~nft_toolkit.verify.report.Check.code`) is worded from the catalogue's
``detail.<code>`` with its parameters (:func:`detail`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.requests import Request
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from nft_toolkit.verify.report import Check

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
        "verdict.too_small": "Too small to tell",
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
        "cli.rpc_url.without_chain": "<RPC URL of the collection's chain>",
        "token": "Token",
        "error": "Error",
        "error.400": "Not understood",
        "error.404": "Not found",
        "error.409": "Not available",
        "error.413": "Too large",
        "error.415": "Not a picture",
        "error.502": "Cannot reach the chain or content",
        "error.500": "Something went wrong",
        "error.503": "Not available now",
        "error.504": "No answer in time",
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
        "prove.nowallet": "No wallet in this browser.",
        "prove.phone": ("On a phone: open this page in your wallet app's own browser (the "
                        "Browser or Discover tab of a wallet such as MetaMask or imToken), then "
                        "tap “{button}”. This page's address:"),
        "prove.copy_link": "Copy the address",
        "prove.copied": "Copied",
        "prove.computer": ("On a computer, you may also sign with the command line (FILE: the "
                           "keystore of the wallet that holds the item):"),
        "prove.reason.malformed": "the message or the signature is not in the expected form",
        "prove.reason.wrong_domain": "the challenge is for another service: try again",
        "prove.reason.wrong_chain": "the challenge is for another chain: try again",
        "prove.reason.wrong_token": "the challenge is for another item: try again",
        "prove.reason.unknown_challenge": ("this service did not issue that challenge, or it was "
                                           "changed: try again"),
        "prove.reason.expired": "the challenge expired: try again",
        "prove.reason.bad_signature": ("the signature does not match the message: the message "
                                       "was changed after signing, or another key signed it; "
                                       "try again"),
        "prove.reason.replayed": "this challenge was already answered: try again",
        "prove.reason.not_holder": "the wallet {address} does not hold this item",
        "prove.reason.token_moved": ("the wallet {address} held this item when the challenge "
                                     "was made, but holds it no longer"),
        "prove.reason.not_minted": "nobody holds this item: it was never minted, or was burned",
        "prove.reason.unavailable": "the service cannot check now: try again later",
        "prove.reason.unreachable": "the service cannot read the chain now: try again later",
        "transfer": "Transfers",
        "transfer.free": "Free: the holder may transfer or sell it.",
        "transfer.non_transferable": ("Non-transferable: it never leaves its holder (soulbound, "
                                      "ERC-5192)."),
        "transfer.gift_after_hold": ("Gift only: the holder may give it away once they have held "
                                     "it {hold}; it cannot be sold, and nobody else can move it."),
        "transfer.held": "The holder has held it {held}, since {since}.",
        "transfer.from": "It may be given from {at}.",
        "transfer.now": "It may be given now.",
        "upload.your_file": "Your file:",
        "upload.copy": "This picture is a copy of token {token} ({how}), not its file.",
        "upload.copy.without_how": "This picture is a copy of token {token}, not its file.",
        "upload.file": "This picture is the image file of token {token} itself.",
        "upload.held": ("Token {token} is authentic and held by {owner}; a picture proves "
                        "nothing about holding it."),
        "upload.held.without_owner": "Token {token} is authentic.",
        "upload.held_copy": ("The original is authentic and held by {owner}; this picture "
                             "proves nothing about holding it."),
        "upload.held_copy.without_owner": "The original is authentic.",
        "upload.not_minted": "But {why}.",
        "upload.not_minted.without_why": "But token {token} was never minted.",
        "upload.token_verdict": "But token {token} is “{verdict}”: {say}",
        "upload.original": "Below: the original image of token {token}, verified by its CID",
        # a copy of one of two near twins (nft_toolkit.verify.twins), a picture too small
        "upload.either": ("This picture is a copy of token {token} or token {other}, not the "
                          "file of either."),
        "upload.either.hidden": "Nothing in it tells the two apart (it is hidden or changed).",
        "upload.either.small": ("It shows the item {shown} pixels across, too small to tell "
                                "the two apart: a picture showing it {needed} pixels across "
                                "or more certainly would."),
        "upload.candidate_held": "Token {token} is authentic and held by {owner}.",
        "upload.candidate_held.without_owner": "Token {token} is authentic.",
        "upload.candidate_verdict": "Token {token} is “{verdict}”: {say}",
        "upload.either.proves": "This picture proves nothing about holding either.",
        "upload.candidates": "The two items this picture may show",
        "upload.candidate_original": "The original image of token {token}, verified by its CID",
        "upload.candidate_no_image": ("No verified image of token {token} to show: it is "
                                      "“{verdict}”."),
        "upload.token_page": "Token {token}'s own verification page",
        "upload.candidate_image": "The original image of token {token}, verified by its CID: {uri}",
        "upload.too_small": ("This picture shows an item {shown} pixels across, too small to "
                             "tell which: one showing it {needed} pixels across or more "
                             "certainly would."),
        "upload.tiny": ("This picture is {shown} pixels across, too small to tell what it "
                        "shows: a picture needs at least {needed} pixels on each side."),
        "transform.resized": "resized",
        "transform.re-encoded": "re-saved",
        "transform.cropped": "cropped",
        "transform.bordered": "with a border",
        "transform.flipped": "flipped or rotated",  # copies: a mirror or a quarter turn
        "transform.rotated": "rotated",
        "transform.tilted": "tilted a few degrees",
        "transform.recoloured": "recoloured",
        "transform.overlaid": "with a watermark, price tag or sticker over it",
        "transform.screenshot": "a screenshot",
        "time.local": "{time} UTC",
        "unit.day": "{n} day",
        "unit.days": "{n} days",
        "unit.hour": "{n} hour",
        "unit.hours": "{n} hours",
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
        "verdict.too_small": "图片太小，无法判断",
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
        "token_uri": "藏品元数据地址 (tokenURI)",
        "description": "描述",
        "attributes": "属性",
        "cli": "随时随地自行验证",
        "cli_note": "用 nft-toolkit 命令行做同样的验证：",
        "cli.rpc_url": "<链 {chain} 的 RPC 地址>",
        "cli.rpc_url.without_chain": "<该系列所在链的 RPC 地址>",
        "token": "藏品",
        "error": "错误",
        "home": "验证其他藏品",
        "language": "English",
        "check.contract": "链上合约",
        "check.runtime_code": "已审计代码",
        "check.issuer": "发行方",
        "check.admin": "管理员权限",
        "check.token": "藏品存在",
        "check.token_uri": "藏品元数据地址 (tokenURI)",
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
        "prove.nowallet": "此浏览器中没有钱包。",
        "prove.phone": ("在手机上：请在您的钱包 App 自带的浏览器中打开本页（如 MetaMask、imToken "
                        "等钱包的“浏览器”或“发现”页），再点“{button}”。本页地址："),
        "prove.copy_link": "复制地址",
        "prove.copied": "已复制",
        "prove.computer": "在电脑上，也可以用命令行签名（FILE 为持有该藏品的钱包的 keystore 文件）：",
        "prove.reason.malformed": "消息或签名的格式不对",
        "prove.reason.wrong_domain": "这条验证消息属于其他服务：请重试",
        "prove.reason.wrong_chain": "这条验证消息属于其他链：请重试",
        "prove.reason.wrong_token": "这条验证消息属于其他藏品：请重试",
        "prove.reason.unknown_challenge": "这条验证消息不是本服务签发的，或已被改动：请重试",
        "prove.reason.expired": "验证消息已过期：请重试",
        "prove.reason.bad_signature": "签名与消息不符：消息在签名后被改动过，或签名的不是该地址的密钥；请重试",
        "prove.reason.replayed": "这条验证消息已经用过：请重试",
        "prove.reason.not_holder": "钱包 {address} 不持有该藏品",
        "prove.reason.token_moved": "钱包 {address} 在发出验证消息时持有该藏品，但现在已不再持有",
        "prove.reason.not_minted": "没有人持有该藏品：它从未铸造，或已被销毁",
        "prove.reason.unavailable": "服务暂时无法核验：请稍后再试",
        "prove.reason.unreachable": "服务暂时无法读取区块链：请稍后再试",
        "transfer": "转让规则",
        "transfer.free": "可自由转让：持有人可以转让或出售。",
        "transfer.non_transferable": "不可转让：藏品始终留在持有人手中（灵魂绑定，ERC-5192）。",
        "transfer.gift_after_hold": "仅可赠送：持有人持有满 {hold}后方可赠送他人；不可出售，他人也无法转移。",
        "transfer.held": "当前持有人自 {since}起已持有 {held}。",
        "transfer.from": "自 {at}起可赠送。",
        "transfer.now": "现在即可赠送。",
        "upload.your_file": "您上传的文件：",
        "upload.copy": "这张图片是第 {token} 号藏品的复制品（{how}），不是它的原文件。",
        "upload.copy.without_how": "这张图片是第 {token} 号藏品的复制品，不是它的原文件。",
        "upload.file": "这张图片就是第 {token} 号藏品的原文件。",
        "upload.held": "第 {token} 号藏品为真品，现由 {owner} 持有；图片不能证明持有该藏品。",
        "upload.held.without_owner": "第 {token} 号藏品为真品。",
        "upload.held_copy": "原藏品为真品，现由 {owner} 持有；这张图片不能证明持有该藏品。",
        "upload.held_copy.without_owner": "原藏品为真品。",
        "upload.not_minted": "但{why}。",
        "upload.not_minted.without_why": "但第 {token} 号藏品从未铸造。",
        "upload.token_verdict": "但第 {token} 号藏品的验证结果为“{verdict}”：{say}",
        "upload.original": "下图：第 {token} 号藏品的原图（已按其 CID 验证）",
        "upload.either": "这张图片是第 {token} 号或第 {other} 号藏品的复制品，不是其中任何一件的原文件。",
        "upload.either.hidden": "图片中没有能区分这两件的部分（被遮住或改动了）。",
        "upload.either.small": ("图片中的藏品只有 {shown} 像素宽，太小，无法分辨是哪一件："
                                "藏品显示为 {needed} 像素宽或更大的图片一定可以分辨。"),
        "upload.candidate_held": "第 {token} 号藏品为真品，现由 {owner} 持有。",
        "upload.candidate_held.without_owner": "第 {token} 号藏品为真品。",
        "upload.candidate_verdict": "第 {token} 号藏品的验证结果为“{verdict}”：{say}",
        "upload.either.proves": "这张图片不能证明持有其中任何一件。",
        "upload.candidates": "这张图片可能显示的两件藏品",
        "upload.candidate_original": "第 {token} 号藏品的原图（已按其 CID 验证）",
        "upload.candidate_no_image": "第 {token} 号藏品没有可显示的已验证图片：其验证结果为“{verdict}”。",
        "upload.token_page": "第 {token} 号藏品的验证页面",
        "upload.candidate_image": "第 {token} 号藏品的原图（已按其 CID 验证）：{uri}",
        "upload.too_small": ("这张图片中的藏品只有 {shown} 像素宽，太小，无法判断是哪一件："
                             "藏品显示为 {needed} 像素宽或更大的图片一定可以判断。"),
        "upload.tiny": ("这张图片只有 {shown} 像素宽，太小，无法判断显示的是什么："
                        "图片每边至少需要 {needed} 像素。"),
        "transform.resized": "经过缩放",
        "transform.re-encoded": "经过重新保存",
        "transform.cropped": "经过裁剪",
        "transform.bordered": "加了边框",
        "transform.flipped": "经过翻转或旋转",
        "transform.rotated": "经过旋转",
        "transform.tilted": "被转斜了几度",
        "transform.recoloured": "调过颜色",
        "transform.overlaid": "上面加了水印、价签或贴纸",
        "transform.screenshot": "截图",
        "time.local": "{time}（北京时间 UTC+8）",
        "unit.day": "{n} 天",
        "unit.days": "{n} 天",
        "unit.hour": "{n} 小时",
        "unit.hours": "{n} 小时",
        "error.400": "输入有误",
        "message.not_an_id": "“{text}”不是藏品编号（应为整数，例如 7）",
        "message.no_form": "不是带图片的表单上传",
        "message.no_file": "请在表单字段 file 中提供图片",
        "message.too_big": "图片超过 {mib} MiB，比任何藏品图片都大",
        "message.empty": "图片是空的",
        "message.not_a_picture": "该文件不是图片（可上传 PNG、JPEG、WebP、GIF 或 BMP）",
        "message.too_many_pixels": ("图片为 {size} 像素，超过每张最多 {megapixels} 百万像素的上限："
                                    "请上传截图，或在相册中缩小后再上传"),
        "message.too_many_pixels.without_size": ("图片解码后超过每张最多 {megapixels} 百万像素的上限："
                                            "请上传截图，或在相册中缩小后再上传"),
        "message.animated": "图片是动图：请上传一张静止的图片",
        "message.damaged": "图片已损坏或不完整（可能没有传完）：请重新上传原图",
        "message.internal": "服务出现意外错误，请稍后再试",
        "message.unreachable": "无法连接区块链或内容来源，请稍后再试",
        "message.http": "无法处理此请求（{status}）",
        "message.over_body": "上传内容超过 {mib} MiB",
        "message.over_body.without_mib": "上传内容超过本服务允许的大小",
        "message.no_route": "没有这个页面",
        "error.404": "未找到",
        "error.409": "无法提供",
        "error.413": "文件过大",
        "error.415": "不是图片",
        "error.502": "暂时无法连接",
        "error.500": "服务出错",
        "error.503": "服务暂不可用",
        "error.504": "响应超时",
        # the engine's check details (Check.code, Check.params): nft_toolkit/verify/trust.py
        "detail.cannot_check": "无法验证：{reason}",
        "detail.cannot_read_chain": "暂时无法读取区块链，请稍后再试",
        "detail.cannot_read_content": "暂时无法读取藏品内容，请稍后再试",
        "detail.no_cid": "没有指明 CID：{reason}",
        "detail.altered": ("内容与其 CID 不符：从读取处（网关或存储）得到的内容已被改动；"
                           "其他网关可能提供链上承诺的原内容"),
        "detail.no_entry": "链上承诺的内容中缺少该条目：{reason}",
        "detail.contract.ok": "合约 {contract} 位于链 {chain}",
        "detail.contract.none": "链 {chain} 上的 {contract} 处没有合约",
        "detail.contract.wrong_chain": ("正在应答的是链 {chain}，而该系列的官方链是 {official}："
                                        "那里的藏品不属于该系列"),
        "detail.contract.foreign": ("不是本发行方的系列：链接指向链 {chain} 上的合约 {contract}"
                                    "（发行方 {issuer}）；本服务只为链 {own_chain} 上的合约 "
                                    "{own_contract}（发行方 {own_issuer}）作证"),
        "detail.runtime_code.ok": "{artifact} {release}（共发布 {count} 个版本），运行时代码 {runtime}…",
        "detail.runtime_code.unknown": "{contract} 处的代码不是已发布的 {artifact}",
        "detail.issuer.ok": "合约记录的发行方为 {issuer}，也是创建该合约的账户",
        "detail.issuer.other": "发行方为 {issuer}，不是可信的发行方 {trusted}",
        "detail.issuer.not_creator": "{contract} 不是由发行方 {issuer} 创建的：是复制品",
        "detail.token.ok": "持有人为 {owner}",
        "detail.token.below_one": "藏品 {token} 不存在：编号从 1 开始",
        "detail.token.beyond_cap": "藏品 {token} 不存在：超出上限（本系列编号为 1..{cap}）",
        "detail.token.burned": "藏品 {token} 已被销毁",
        "detail.token.never_minted": "藏品 {token} 从未铸造（{cap} 件中已铸造 {minted} 件）",
        "detail.token_uri.ok": "位于该系列的基础 CID {base} 之下",
        "detail.token_uri.other": "tokenURI 为 {uri}，而应为 {expected}",
        "detail.base_uri_frozen.ok": "基础 URI 已冻结",
        "detail.base_uri_frozen.not": "提醒：基础 URI 未冻结，发行方仍可更改内容",
        "detail.hashes_to": "{size} 字节，哈希与 {cid} 一致",
        "detail.provenance.ok": "第 {token} 件（共 {count} 件）与首次铸造前链上承诺的 {hash}… 一致",
        "detail.image_match.none": ("这张图片不是链上承诺的系列（{base}）中任何藏品的文件，也不是其中任何"
                                    "一件的复制品：{reason}"),
        "detail.image_match.none.without_reason": "这张图片不是链上承诺的系列（{base}）中的任何藏品",
        "detail.image_match.no_index": ("这张图片不是链上承诺的系列（{base}）中任何藏品的文件，而该系列"
                                        "没有发布用于识别复制品的副本索引"),
        "reason.unfaithful": "副本索引与第 {token} 号藏品经过验证的图片不符（不是由本系列的图片生成的），未使用",
        "reason.unlike": "它与本系列的任何藏品都不相像（索引相关度 {correlation}）",
        "reason.unaligned": "本系列没有任何藏品能与它对齐",
        "reason.turned": ("它似乎被转斜了约 {degrees} 度：转了 90 度整数倍以外角度的图片无法比对"
                          "（其原文件或未转斜的截图可以）"),
        "reason.not_close": "本系列没有任何藏品与它足够接近",
        "reason.part": "它最多只显示了一件藏品的 {share}",
        "reason.sharper": "它有第 {token} 号藏品 {width}x{height} 的图片所没有的细节：不是它的复制品",
        "reason.mark": ("它没有显示第 {token} 号藏品自己的标记（编号，位于横向 {across}、纵向 {down} 处）："
                        "是另一件藏品的图片，或标记被遮住了；不认定为它的复制品"),
        "reason.variant": ("它在横向 {across}、纵向 {down} 处显示的部件与第 {token} 号藏品不同："
                           "是另一件藏品的图片，不是它的复制品"),
        "detail.image_match.differs": "这张图片与该藏品经过验证的图片不同",
        "detail.image_match.either": ("这是第 {token} 号或第 {other} 号藏品的复制品，不是其中任何一件的"
                                      "原文件：图片中没有能区分二者的部分；这张图片不能证明持有其中任何一件"),
        "detail.image_match.either_small": ("这是第 {token} 号或第 {other} 号藏品的复制品，不是其中任何"
                                            "一件的原文件：图片中的藏品只有 {shown} 像素宽，太小，无法分辨"
                                            "（显示为 {needed} 像素宽或更大时一定可以分辨）；这张图片不能证明"
                                            "持有其中任何一件"),
        "detail.image_match.too_small": ("这张图片中的藏品只有 {shown} 像素宽，太小，无法判断是哪一件"
                                         "（显示为 {needed} 像素宽或更大时一定可以判断）"),
        "detail.image_match.tiny": ("这张图片只有 {shown} 像素宽，太小，无法判断显示的是什么"
                                    "（每边至少需要 {needed} 像素）"),
        "detail.image_match.copy": ("这是第 {token} 号藏品图片的复制品（{how}，{differs} 的画面与原图"
                                    "不同，像是被覆盖了，相似度 {similarity}），并非原文件：原藏品为"
                                    "真品，现由 {owner} 持有；这张图片不能证明持有该藏品"),
        "detail.image_match.copy.without_differs": (
            "这是第 {token} 号藏品图片的复制品（{how}，相似度 {similarity}），并非原文件：原藏品为"
            "真品，现由 {owner} 持有；这张图片不能证明持有该藏品"),
        "detail.image_match.copy.without_differs_how": (
            "这是第 {token} 号藏品图片的复制品（相似度 {similarity}），并非原文件：原藏品为"
            "真品，现由 {owner} 持有；这张图片不能证明持有该藏品"),
        "detail.token_uri.no_cid": "基础 URI {base_uri} 没有指明 CID（应为 ipfs://<CID>/）",
        "detail.local_build.differs": ("提醒：本地构建（pin 清单的基础 CID {built}）与链上承诺的"
                                       "（{base}）不同：以链上的为准"),
        "detail.admin.unknown": ("提醒：发行方 {issuer} 已不再持有管理员权限，无法从链上读出现在由谁"
                                 "持有：基础 URI、来源证明和暂停功能已不在发行方手中"),
        "detail.admin.renounced": ("提醒：发行方 {issuer} 已放弃管理员权限，现在没有任何账户持有："
                                   "基础 URI、来源证明和暂停功能已无人能更改"),
        "detail.admin.held": ("提醒：发行方 {issuer} 已不再持有管理员权限，现由 {admins} 持有："
                              "基础 URI、来源证明和暂停功能由该账户掌握"),
        "detail.issuer_domain.ok": ("{domain} 发布的声明由发行方 {issuer} 签名，列出了链 {chain} "
                                    "上的合约 {contract}"),
        "detail.issuer_domain.unreachable": "无法读取 {domain} 的发行方声明：{reason}",
        "detail.issuer_domain.bad": "{domain} 发布的不是有效的发行方声明：{reason}",
        "detail.issuer_domain.unsigned": ("{domain} 的声明自称发行方为 {issuer}，但没有有效签名："
                                          "不是该发行方发布的"),
        "detail.issuer_domain.other_signer": ("{domain} 的声明自称发行方为 {issuer}，却由 {signer} "
                                              "签名：不是该发行方发布的"),
        "detail.issuer_domain.copied": "{domain} 上的声明属于 {owner}，是从其他域名复制来的",
        "detail.issuer_domain.not_listed": ("{domain} 的声明没有列出链 {chain} 上的合约 {contract}："
                                            "不是该发行方的系列"),
        "detail.metadata.not_manifest": ("目录为第 {token} 号藏品链接的元数据是 {cid}，"
                                         "而发行方的 pin 清单为 {expected}"),
        "detail.metadata.no_image": "{cid} 不是带有图片的 ERC-721 元数据",
        "detail.image.no_cid": "元数据中的图片 {image} 没有指明 CID（应为 ipfs://<CID>）",
        "detail.image.not_manifest": "元数据指明的图片为 {cid}，而发行方的 pin 清单为 {expected}",
        "detail.provenance.none": "链上没有承诺来源证明哈希",
        "detail.provenance.broken": ("{count} 件藏品的逐件哈希与链上承诺的来源证明 {hash}… 不符："
                                     "内容在首次铸造后被改动"),
        "detail.provenance.mismatch": "第 {token} 号藏品的图片不是链上承诺的来源证明中的第 {token} 件",
        "detail.provenance.mismatch_metadata": ("第 {token} 号藏品的图片或元数据不是链上承诺的来源证明"
                                                "中的第 {token} 件"),
    },
}


def language(request: Request) -> str:
    """The language for `request`: ?lang=, the cookie, Accept-Language, else Chinese."""
    for chosen in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    accepted = parse_accept_header(request.headers.get("accept-language", "")[:1000],
                                   LanguageAccept)  # by q-value, highest first (RFC 9110)
    for tag, quality in accepted:  # the first whose primary subtag we have (zh-TW: zh)
        primary = tag.split("-")[0].split("_")[0].lower()
        if quality > 0 and primary in LANGUAGES:
            return primary
    return DEFAULT


def detail(check: Check, words: Mapping[str, str]) -> str:
    """`check`'s detail in the catalogue `words`: its code's wording with its parameters, else
    the engine's English detail (English has no ``detail.`` entries: the detail as it is). A
    ``transform`` parameter (a copy's, nft_toolkit.copies.transform.KINDS) is worded as the
    catalogue's ``transform.<kind>``, as ``{how}``; a ``reason`` (why no copy was named) by its
    kind's ``reason.<kind>``."""
    if not check.code:
        return check.detail
    params = dict(check.params)
    how = words.get(f"transform.{params.pop('transform', '')}")
    if how is not None:
        params["how"] = how
    if "reason" in params:  # why no copy was named: worded by its kind and facts, when known
        params["reason"] = _reason(params, words)
    said = wording(words, f"detail.{check.code}", params)
    return check.detail if said is None else said


def _reason(params: dict[str, str], words: Mapping[str, str]) -> str:
    """A copy finder's reason in `words`: its kind's ``reason.<kind>`` with the facts it names
    (a :attr:`~nft_toolkit.copies.likeness.Miss`'s kind and facts, carried by the check as
    ``reason_kind`` and ``reason_<fact>``, taken out of `params` here), else as it was said
    (English: a reason of a kind the catalogue has no words for is never lost)."""
    kind = params.pop("reason_kind", "")
    facts = {name[len("reason_"):]: params.pop(name) for name in list(params)
             if name.startswith("reason_")}
    said = wording(words, f"reason.{kind}", facts) if kind else None
    return params["reason"] if said is None else said


def wording(words: Mapping[str, str], key: str, params: Mapping[str, str]) -> str | None:
    """The catalogue's `key` filled with `params`; a value not known is left out of `params`,
    and then the wording is `key`'s variant without it, ``<key>.without_<name>`` (names sorted and
    joined by ``_`` when several are unknown), so no page shows a "?" or "None" for it; None when
    the catalogue has no wording that needs only what is known."""
    found = words.get(key)
    if found is None:
        return None
    unknown = sorted(set(re.findall(r"\{(\w+)\}", found)) - set(params))
    if unknown:
        found = words.get(f"{key}.without_{'_'.join(unknown)}")
        if found is None or set(re.findall(r"\{(\w+)\}", found)) - set(params):
            return None
    return fill(found, params)


def fill(wording: str, params: Mapping[str, str]) -> str:
    """`wording` with each ``{name}`` replaced by its parameter (others left as they are)."""
    return re.sub(r"\{(\w+)\}", lambda m: params.get(m.group(1), m.group()), wording)


def translator(lang: str) -> dict[str, str]:
    """The catalogue of `lang` (English words fill any gap)."""
    return {**MESSAGES["en"], **MESSAGES[lang]}
