/* LongCat chat widget: one <script> tag, no dependencies.
 *
 *   <script src="https://api.example/static/widget.js"
 *           data-api="https://api.example" data-token="TRACKING_TOKEN"></script>
 *
 * Without data-token the widget reads ?token= from the page address. Replies stream in as
 * they arrive and are shown as plain text; the conversation survives page reloads. The 📍
 * button shares the browser's location with a message; a host page can share a spot the
 * customer tapped on its map with window.LongCatChat.share(lat, lon). It speaks English or
 * Chinese (data-lang="en|zh", else the page's <html lang>, else the browser's language; a host
 * page may switch it with window.LongCatChat.setLanguage(lang)), offers quick replies for the
 * common requests, and on a phone takes only the lower part of the screen, so the order stays
 * in view.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var api = ((script && script.getAttribute("data-api")) || "").replace(/\/$/, "");
  var token = (script && script.getAttribute("data-token")) ||
    new URLSearchParams(window.location.search).get("token");
  if (!token) { return; }
  var storeKey = "longcat-chat:" + token.slice(-24);
  var TEXT = {
    en: { open: "Chat with us", head: "LongCat delivery help", placeholder: "Ask about your order…",
      send: "Send", pin: "Share my location", mine: "My location",
      quick: ["Where is my order?", "Cancel my order", "Change the address", "Talk to a person"],
      expired: "This tracking link has expired. Please open the latest link from your order.",
      busy: "We are getting many messages right now. Please try again in a minute.",
      short: "That message could not be sent. Please keep it short.",
      down: "Sorry, we could not reach customer service. Please try again shortly.",
      no_geo: "This browser cannot share a location.",
      geo_failed: "The location could not be read; you can tap the spot on the map." },
    zh: { open: "联系客服", head: "LongCat 外卖客服", placeholder: "请输入您的问题…", send: "发送",
      pin: "发送我的位置", mine: "我的位置",
      quick: ["我的外卖到哪了？", "取消订单", "修改地址", "转人工客服"],
      expired: "此追踪链接已过期，请从订单中打开最新链接。",
      busy: "当前咨询较多，请一分钟后再试。",
      short: "消息未能发送，请简短一些。",
      down: "抱歉，暂时无法连接客服，请稍后再试。",
      no_geo: "此浏览器无法发送位置。",
      geo_failed: "无法读取位置；您可以在地图上点击送餐地点。" }
  };
  // The page's own language before the browser's: a host page that chose the customer's
  // language before this script arrived (a slow network) must not get English chips.
  var asked = (script && script.getAttribute("data-lang")) || document.documentElement.lang ||
    navigator.language || "en";
  var t = TEXT[asked.toLowerCase().indexOf("zh") === 0 ? "zh" : "en"];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  var style = el("style", {}, [
    ".lc-button{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;",
    "padding:12px 18px;background:#ffc300;color:#222;font:600 15px system-ui,sans-serif;cursor:pointer;",
    "box-shadow:0 2px 8px rgba(0,0,0,.25)}",
    ".lc-panel{position:fixed;right:20px;bottom:76px;z-index:2147483000;width:340px;max-width:92vw;",
    "height:440px;max-height:70vh;display:none;flex-direction:column;background:#fff;",
    "border-radius:12px;box-shadow:0 4px 18px rgba(0,0,0,.3);font:14px system-ui,sans-serif;color:#222}",
    ".lc-panel.lc-open{display:flex}.lc-head{padding:10px 14px;background:#ffc300;border-radius:12px 12px 0 0;",
    "font-weight:600;display:flex;justify-content:space-between;align-items:center}.lc-log{flex:1;overflow-y:auto;padding:10px}.lc-msg{margin:6px 0;padding:8px 10px;",
    "border-radius:10px;max-width:85%;white-space:pre-wrap;word-wrap:break-word}",
    ".lc-user{background:#eef;margin-left:auto}.lc-bot{background:#f4f4f4}",
    ".lc-error{background:#fff3f0;color:#a33}.lc-form{display:flex;border-top:1px solid #eee}",
    ".lc-input{flex:1;border:0;padding:10px;font:inherit}.lc-send{border:0;background:#ffc300;",
    "padding:0 14px;font:inherit;cursor:pointer}.lc-pin{border:0;background:#fff;padding:0 10px;",
    "font:inherit;cursor:pointer}.lc-quick{display:flex;flex-wrap:wrap;gap:6px;padding:6px 10px;",
    "border-top:1px solid #eee}.lc-chip{border:1px solid #e0a800;background:#fffbea;border-radius:14px;",
    "padding:4px 10px;font:13px system-ui,sans-serif;cursor:pointer;color:#222}",
    "@media (max-width:480px){.lc-panel{left:0;right:0;bottom:0;width:100%;max-width:100%;",
    "height:46vh;max-height:46vh;border-radius:12px 12px 0 0}.lc-panel.lc-open~.lc-button{display:none}",
    ".lc-button{right:12px;bottom:12px}}",
    ".lc-close{border:0;background:none;font:600 16px system-ui,sans-serif;cursor:pointer}"
  ].join(""));
  var button = el("button", { "class": "lc-button", type: "button" });
  var panel = el("div", { "class": "lc-panel", role: "dialog", "aria-label": "Customer service chat" });
  var log = el("div", { "class": "lc-log", "aria-live": "polite" });
  var form = el("form", { "class": "lc-form" });
  var input = el("input", { "class": "lc-input", name: "message", maxlength: "1000", autocomplete: "off" });
  var send = el("button", { "class": "lc-send", type: "submit" });
  var pin = el("button", { "class": "lc-pin", type: "button" });
  var quick = el("div", { "class": "lc-quick" });
  var head = el("div", { "class": "lc-head" });
  var title = el("span", {});
  var close = el("button", { "class": "lc-close", type: "button", "aria-label": "Close" }, "×");
  head.appendChild(title); head.appendChild(close);
  // Drawn, not an emoji: a phone or kiosk without an emoji font still shows the pin.
  pin.innerHTML = '<svg width="16" height="20" viewBox="0 0 16 20" aria-hidden="true">' +
    '<path d="M8 0C3.6 0 0 3.4 0 7.6 0 13.3 8 20 8 20s8-6.7 8-12.4C16 3.4 12.4 0 8 0z" fill="#e74c3c"/>' +
    '<circle cx="8" cy="7.6" r="3" fill="#fff"/></svg>';
  form.appendChild(pin); form.appendChild(input); form.appendChild(send);
  panel.appendChild(head); panel.appendChild(log); panel.appendChild(quick); panel.appendChild(form);
  document.head.appendChild(style);
  document.body.appendChild(panel); document.body.appendChild(button);

  // Every label in the chosen language; quick replies send what they say.
  function setLanguage(lang) {
    t = TEXT[String(lang).toLowerCase().indexOf("zh") === 0 ? "zh" : "en"];
    button.textContent = t.open; button.setAttribute("aria-label", t.open);
    title.textContent = t.head; input.setAttribute("placeholder", t.placeholder);
    send.textContent = t.send; pin.setAttribute("title", t.pin); pin.setAttribute("aria-label", t.pin);
    quick.textContent = "";
    t.quick.forEach(function (text) {
      var chip = el("button", { "class": "lc-chip", type: "button" }, text);
      chip.addEventListener("click", function () { ask(text); });
      quick.appendChild(chip);
    });
  }
  close.addEventListener("click", function () { panel.classList.remove("lc-open"); });

  function saved() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function remember(role, text) {
    var items = saved(); items.push({ role: role, text: text });
    try { window.localStorage.setItem(storeKey, JSON.stringify(items.slice(-50))); } catch (e) { /* private mode */ }
  }
  function bubble(role, text) {
    var node = el("div", { "class": "lc-msg lc-" + role }, text);
    log.appendChild(node); log.scrollTop = log.scrollHeight;
    return node;
  }
  saved().forEach(function (m) { bubble(m.role, m.text); });

  button.addEventListener("click", function () {
    panel.classList.toggle("lc-open");
    if (panel.classList.contains("lc-open")) { input.focus(); }
  });

  function politeError(status) {
    if (status === 401 || status === 403) { return t.expired; }
    if (status === 429) { return t.busy; }
    if (status === 413 || status === 422) { return t.short; }
    return t.down;
  }

  async function ask(text, location) {
    bubble("user", text); remember("user", text);
    var reply = bubble("bot", "…");
    var shown = "";
    send.disabled = true;
    try {
      var response = await fetch(api + "/api/chat/" + encodeURIComponent(token), {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(location ? { message: text, location: location } : { message: text })
      });
      if (!response.ok || !response.body) { throw { status: response.status }; }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) { break; }
        buffer += decoder.decode(chunk.value, { stream: true });
        var blocks = buffer.split("\n\n");
        buffer = blocks.pop();
        blocks.forEach(function (block) {
          var event = "", data = "";
          block.split("\n").forEach(function (line) {
            if (line.indexOf("event: ") === 0) { event = line.slice(7); }
            if (line.indexOf("data: ") === 0) { data += line.slice(6); }
          });
          var payload = JSON.parse(data || "{}");
          if (event === "token") { shown += payload.text; reply.textContent = shown; }
          if (event === "done") { shown = payload.reply; reply.textContent = shown; }
          log.scrollTop = log.scrollHeight;
        });
      }
      remember("bot", shown);
    } catch (err) {
      reply.className = "lc-msg lc-error";
      reply.textContent = politeError(err && err.status);
    } finally {
      send.disabled = false;
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    ask(text);
  });

  // A location goes with a message: what the customer typed, or a plain "my location".
  function share(lat, lon) {
    var text = input.value.trim() || t.mine;
    input.value = "";
    panel.classList.add("lc-open");
    ask(text, { lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lon * 1e6) / 1e6 });
  }
  pin.addEventListener("click", function () {
    if (!navigator.geolocation) { bubble("error", t.no_geo); return; }
    navigator.geolocation.getCurrentPosition(
      function (pos) { share(pos.coords.latitude, pos.coords.longitude); },
      function () { bubble("error", t.geo_failed); },
      { enableHighAccuracy: true, timeout: 10000 }
    );
  });
  setLanguage(asked);
  window.LongCatChat = { ask: ask, share: share, setLanguage: setLanguage };
})();
