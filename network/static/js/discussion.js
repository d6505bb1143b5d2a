/* Live discussion room: progressive enhancement of the server-rendered page.
 *
 * Without this script the page works (history, plain form, edit/delete forms).
 * With it: a WebSocket to /ws/discussions/<slug>/ that resumes with
 * ?after=<last id>&seq=<last seq>, reconnects with exponential backoff and
 * jitter, drops duplicates by id (updates in place when the seq is newer),
 * and resends unacknowledged messages with their client_id (stored once).
 *
 * lastSeq is the last *contiguous* event: every event up to it is shown. A
 * frame further ahead (a broadcast was lost, e.g. Redis restarted), a pong
 * announcing a later event, or a "resync" hint from the server asks for a
 * replay after lastSeq; the replay ends with "synced". A post refused with a
 * retry_after (rate_limited, server_error) is sent again after that delay. */
(function () {
  "use strict";

  var root = document.getElementById("room");
  if (!root || root.dataset.live !== "1" || !("WebSocket" in window)) {
    return;
  }
  var d = root.dataset;
  var list = root.querySelector(".room__messages");
  var form = root.querySelector(".room__form");
  var statusEl = root.querySelector(".room__status");
  var typingEl = root.querySelector(".room__typing");
  var presenceEl = root.querySelector(".room__presence");
  var userId = parseInt(d.userId, 10);
  var lastId = parseInt(d.lastId, 10) || 0;
  var lastSeq = parseInt(d.lastSeq, 10) || 0;
  var seen = {}; // id -> seq
  var pending = {}; // client_id -> body
  var socket = null;
  var syncing = false; // a replay is on its way: its frames skip seqs on purpose
  var attempt = 0;
  var stopped = false;
  var lastTyping = 0;
  var typingTimer = null;
  var readTimer = null;

  Array.prototype.forEach.call(list.querySelectorAll(".message"), function (el) {
    var id = parseInt(el.dataset.id, 10);
    seen[id] = parseInt(el.dataset.seq, 10) || 0;
    if (id > lastId) { lastId = id; }
  });

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  function setStatus(text) { if (statusEl) { statusEl.textContent = text ? " · " + text : ""; } }

  function link(href, label) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    return a;
  }

  function render(frame) {
    var el = document.createElement("article");
    el.className = "message" + (frame.deleted ? " message--gone" : "") +
      (frame.author.id === userId ? " message--own" : "");
    el.id = "m" + frame.id;
    el.dataset.id = frame.id;
    el.dataset.seq = frame.seq;
    var header = document.createElement("header");
    header.className = "message__header";
    var author = document.createElement("strong");
    author.className = "message__author";
    author.textContent = frame.author.name;
    var time = document.createElement("time");
    time.className = "message__time";
    time.dateTime = frame.created;
    time.textContent = new Date(frame.created).toLocaleString(document.documentElement.lang || "fr",
      { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
    header.append(author, " ", time);
    if (frame.edited && !frame.deleted) {
      var edited = document.createElement("span");
      edited.className = "message__edited";
      edited.textContent = " " + d.labelEdited;
      header.append(edited);
    }
    var body = document.createElement("div");
    body.className = "message__body";
    if (frame.deleted) {
      var em = document.createElement("em");
      em.textContent = frame.hidden ? d.labelHidden : d.labelDeleted;
      body.append(em);
    } else {
      body.innerHTML = frame.html; // sanitized on the server (network.sanitize)
    }
    var actions = document.createElement("footer");
    actions.className = "message__actions";
    var base = d.url + "messages/" + frame.id + "/";
    if (!frame.deleted && frame.author.id === userId) {
      actions.append(link(base + "modifier/", d.labelEdit), " ");
      var del = document.createElement("button");
      del.type = "button";
      del.className = "link-button";
      del.textContent = d.labelDelete;
      del.addEventListener("click", function () {
        if (window.confirm(d.labelConfirmDelete)) { send({ type: "delete", id: frame.id }); }
      });
      actions.append(del);
    } else if (!frame.deleted) {
      actions.append(link(base + "signaler/", d.labelReport));
    }
    if (d.canModerate === "1" && !frame.deleted) {
      actions.append(" ", link(base + "masquer/", d.labelHide));
    }
    el.append(header, body, actions);
    return el;
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.body.offsetHeight - 200;
  }

  function onMessage(frame) {
    if (frame.client_id && pending[frame.client_id] !== undefined) {
      delete pending[frame.client_id];
      if (form && form.elements.client_id && form.elements.client_id.value === frame.client_id) {
        form.elements.client_id.value = uuid();
      }
    }
    if (seen[frame.id] !== undefined && seen[frame.id] >= frame.seq) {
      return; // a duplicate (replay and live overlap, or a resend's acknowledgement)
    }
    var stick = nearBottom();
    var el = render(frame);
    var existing = document.getElementById("m" + frame.id);
    if (existing) {
      existing.replaceWith(el);
    } else {
      var empty = list.querySelector(".room__empty");
      if (empty) { empty.remove(); }
      insertInOrder(el, frame.id);
      if (stick) { el.scrollIntoView({ block: "end" }); }
    }
    seen[frame.id] = frame.seq;
    if (frame.id > lastId) { lastId = frame.id; }
    if (frame.seq === lastSeq + 1) {
      lastSeq = frame.seq;
    } else if (frame.seq > lastSeq + 1) {
      resync(); // an event between lastSeq and this one never arrived
    }
    scheduleRead();
  }

  function insertInOrder(el, id) {
    // A replayed message can be older than one already shown: keep id order.
    var later = null;
    var shown = list.querySelectorAll(".message");
    for (var i = shown.length - 1; i >= 0 && parseInt(shown[i].dataset.id, 10) > id; i--) {
      later = shown[i];
    }
    if (later) { later.before(el); } else { list.append(el); }
  }

  function resync() {
    if (!syncing) {
      syncing = send({ type: "resync", after: lastId, seq: lastSeq });
    }
  }

  function onSynced(frame) {
    syncing = false;
    if (frame.seq > lastSeq) { lastSeq = frame.seq; }
  }

  function onPong(frame) {
    if (frame.seq > lastSeq) { resync(); }
  }

  function scheduleRead() {
    if (document.hidden) { return; }
    clearTimeout(readTimer);
    readTimer = setTimeout(function () { send({ type: "read", id: lastId }); }, 1000);
  }

  function onTyping(frame) {
    typingEl.textContent = frame.user.name + " " + d.labelTyping;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingEl.textContent = ""; }, 4000);
  }

  function onPresence(frame) {
    presenceEl.textContent = frame.users.map(function (u) { return u.name; }).join(", ");
  }

  function onError(frame) {
    setStatus(frame.detail || frame.code);
    if (frame.code === "removed") { stopped = true; }
    var clientId = frame.client_id;
    if (!clientId || pending[clientId] === undefined) { return; }
    if (frame.retry_after) {
      setTimeout(function () {
        if (pending[clientId] !== undefined) {
          send({ type: "message", body: pending[clientId], client_id: clientId });
        }
      }, frame.retry_after * 1000 * (1 + Math.random() / 2));
    } else {
      delete pending[clientId]; // refused for good (too long, archived...): the status says why
    }
  }

  var handlers = {
    message: onMessage, typing: onTyping, presence: onPresence, error: onError,
    synced: onSynced, pong: onPong, resync: resync
  };

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/discussions/" + d.slug +
      "/?after=" + lastId + "&seq=" + lastSeq);
    socket.addEventListener("open", function () {
      attempt = 0;
      syncing = true; // the server replays after lastSeq, then sends "synced"
      setStatus(d.labelOnline);
      Object.keys(pending).forEach(function (clientId) {
        send({ type: "message", body: pending[clientId], client_id: clientId });
      });
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      var handler = handlers[frame.type];
      if (handler) { handler(frame); }
    });
    socket.addEventListener("close", function () {
      socket = null;
      syncing = false;
      if (stopped) { return; }
      setStatus(d.labelOffline);
      var delay = Math.min(30000, 500 * Math.pow(2, attempt)) * (0.5 + Math.random());
      attempt += 1;
      setTimeout(connect, delay);
    });
  }

  if (form) {
    var textarea = form.elements.body;
    form.addEventListener("submit", function (event) {
      if (!socket || socket.readyState !== WebSocket.OPEN) {
        return; // plain HTTP post: works without the socket
      }
      event.preventDefault();
      var body = textarea.value.trim();
      if (!body) { return; }
      var clientId = form.elements.client_id.value || uuid();
      pending[clientId] = body;
      send({ type: "message", body: body, client_id: clientId });
      textarea.value = "";
      form.elements.client_id.value = uuid();
    });
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTyping > 3000) {
        lastTyping = now;
        send({ type: "typing" });
      }
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { scheduleRead(); }
  });
  setInterval(function () { send({ type: "ping" }); }, 30000);
  connect();
})();
