// nft-toolkit verification pages: the one script (CSP: scripts only from this origin).
// It adds a copy button to the verify command; the pages work without it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const command = document.getElementById("command");
  if (!command || !navigator.clipboard) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy";
  button.textContent = document.documentElement.lang.startsWith("zh") ? "复制命令" : "Copy command";
  button.addEventListener("click", () => navigator.clipboard.writeText(command.textContent));
  command.after(button);
});
