// Proof of holding on the token page: the wallet in this browser (EIP-1193 `window.ethereum`)
// signs the service's fresh EIP-4361 challenge (EIP-191 personal_sign); the service answers.
// Without a wallet (a phone's own browser) the page says how to open it in a wallet app's
// browser, with a button copying its address. Everything shown is set as text, never as HTML.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("holding");
  if (!box) return;
  const button = document.getElementById("prove");
  const status = document.getElementById("prove-status");
  const token = box.dataset.token;
  const say = (text, state) => { status.textContent = text; status.dataset.state = state; };
  // the refusals worded in the page's language, by the service's reason code
  const reasons = new Map(Array.from(document.querySelectorAll("#prove-reasons li"),
    (li) => [li.dataset.reason, li.textContent]));
  const refusal = (answer, address) => {
    const words = reasons.get(answer.reason);
    return words ? words.replace("{address}", address || "") : (answer.error || answer.reason);
  };
  const wallet = window.ethereum;
  if (!wallet || typeof wallet.request !== "function") {
    say(box.dataset.nowallet, "nowallet");
    const link = document.getElementById("page-link");
    if (link && navigator.clipboard) {
      const copy = document.createElement("button");
      copy.type = "button";
      copy.className = "copy";
      copy.id = "copy-link";
      copy.textContent = box.dataset.copy;
      copy.addEventListener("click", () => navigator.clipboard.writeText(link.textContent)
        .then(() => { copy.textContent = box.dataset.copied; }, () => {}));
      link.after(" ", copy);
    }
    return;
  }
  document.getElementById("prove-phone").hidden = true;  // this browser is a wallet's
  const hex = (text) => "0x" + Array.from(new TextEncoder().encode(text),
    (b) => b.toString(16).padStart(2, "0")).join("");
  async function json(response) {
    try { return await response.json(); } catch (e) { return { error: `HTTP ${response.status}` }; }
  }
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    say(box.dataset.working, "working");
    let address;
    try {
      const accounts = await wallet.request({ method: "eth_requestAccounts" });
      address = Array.isArray(accounts) ? accounts[0] : undefined;
      if (typeof address !== "string") throw new Error("the wallet gave no account");
      const got = await fetch(`/api/v1/tokens/${token}/challenge?address=${encodeURIComponent(address)}`,
        { cache: "no-store" });
      const challenge = await json(got);
      if (!got.ok) throw new Error(refusal(challenge, address) || `HTTP ${got.status}`);
      const signature = await wallet.request({ method: "personal_sign",
        params: [hex(challenge.message), address] });
      const sent = await fetch(`/api/v1/tokens/${token}/proof`, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ message: challenge.message, signature }) });
      const answer = await json(sent);
      if (answer.held === true) {
        say(box.dataset.held.replace("{holder}", answer.holder).replace("{block}", answer.block), "held");
      } else {
        say(box.dataset.refused.replace("{reason}", refusal(answer, address)), "refused");
      }
    } catch (err) {
      say(box.dataset.refused.replace("{reason}", (err && err.message) || String(err)), "refused");
    } finally {
      button.disabled = false;
    }
  });
});
