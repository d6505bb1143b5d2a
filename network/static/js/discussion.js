/* Live discussion room: progressive enhancement of the server-rendered page.
 *
 * Without this script the page works (history, plain form, edit/delete forms).
 * With it: a WebSocket to /ws/discussions/<slug>/ that resumes with
 * ?after=<last id>&seq=<last seq>, reconnects with exponential backoff and
 * jitter, drops duplicates by id (updates in place when the seq is newer),
 * and resends unacknowledged messages with their client_id (stored once).
 * Replies fold under their parent in a <details> thread counting the replies
 * by others that arrived while it was closed; reactions are buttons that send
 * react / unreact (the same message frame comes back with the new counts).
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
  var typingUser = null; // who the typing notice names
  var replyTo = null; // the message the next post answers (its thread)
  var emojis = (d.emojis || "").split(" ").filter(Boolean);

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

  function memberUrl(template, id) { // "/discussions/membres/0/" -> the member's own
    return template.replace(/\/0\/$/, "/" + encodeURIComponent(id) + "/");
  }

  function render(frame) {
    var el = document.createElement("article");
    el.className = "message" + (frame.deleted ? " message--gone" : "") +
      (frame.author.id === userId ? " message--own" : "");
    el.id = "m" + frame.id;
    el.dataset.id = frame.id;
    el.dataset.seq = frame.seq;
    if (frame.parent) {
      el.dataset.parent = frame.parent;
      el.className += " message--reply";
    }
    var header = document.createElement("header");
    header.className = "message__header";
    var author = document.createElement("strong");
    author.className = "message__author";
    author.append(link(memberUrl(d.memberUrl, frame.author.id), frame.author.name));
    var time = document.createElement("time");
    time.className = "message__time";
    time.dateTime = frame.created;
    time.textContent = frame.time; // formatted by the server, as on the page
    time.title = frame.time_title;
    header.append(author, " ");
    if (frame.author.id !== userId) {
      header.append(link(memberUrl(d.writeUrl, frame.author.id), d.labelWrite), " ");
      header.lastChild.previousSibling.className = "message__write";
    }
    header.append(time);
    if (frame.parent && !document.getElementById("m" + frame.parent)) { // else it folds under it
      header.append(" ", link("#m" + frame.parent, d.labelInReply));
      header.lastChild.className = "message__in-reply";
    }
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
    var file = frame.attachment && !frame.deleted ? renderAttachment(frame.attachment) : null;
    var reactions = document.createElement("div");
    reactions.className = "message__reactions";
    (frame.reactions || []).forEach(function (entry) {
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.emoji = entry.emoji;
      var mine = entry.users.some(function (u) { return u.id === userId; });
      button.className = "reaction" + (mine ? " reaction--mine" : "");
      button.title = entry.users.map(function (u) { return u.name; }).join(", ");
      var count = document.createElement("span");
      count.className = "reaction__count";
      count.textContent = entry.users.length;
      button.append(entry.emoji + " ", count);
      reactions.append(button);
    });
    var actions = document.createElement("footer");
    actions.className = "message__actions";
    var base = d.url + "messages/" + frame.id + "/";
    if (!frame.deleted && d.canPost === "1") {
      if (!frame.parent) {
        var reply = link("?reply=" + frame.id + "#id_body", d.labelReply);
        reply.className = "message__reply";
        reply.dataset.reply = frame.id;
        actions.append(reply, " ");
      }
      var picker = document.createElement("details");
      picker.className = "message__react";
      var summary = document.createElement("summary");
      summary.textContent = d.labelReact;
      picker.append(summary);
      emojis.forEach(function (emoji) {
        var choice = document.createElement("button");
        choice.type = "button";
        choice.className = "link-button";
        choice.dataset.emoji = emoji;
        choice.textContent = emoji;
        picker.append(choice);
      });
      actions.append(picker, " ");
    }
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
    el.append(header, body);
    if (file) { el.append(file); }
    el.append(reactions, actions);
    return el;
  }

  function renderAttachment(file) {
    var box = document.createElement("div");
    box.className = "message__attachment message__attachment--" + file.kind;
    var a = link(file.url, file.name);
    if (file.thumbnail) {
      a.textContent = "";
      var img = document.createElement("img");
      img.src = file.thumbnail;
      img.alt = file.name;
      img.loading = "lazy";
      img.className = "message__thumbnail";
      a.append(img);
    } else {
      a.className = "message__file";
      a.setAttribute("download", "");
    }
    var size = document.createElement("span");
    size.className = "message__file-size";
    size.textContent = file.size >= 1048576 ? (file.size / 1048576).toFixed(1) + " Mo" : Math.max(1, Math.round(file.size / 1024)) + " Ko";
    box.append(a, " ", size);
    return box;
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
      var thread = frame.parent && threadOf(frame.parent, true);
      if (thread) {
        insertInOrder(el, frame.id, thread.querySelector(".thread__messages"));
        countThread(thread, frame.author.id !== userId && !frame.deleted);
      } else {
        insertInOrder(el, frame.id, list);
      }
      if (stick && (!thread || thread.open)) { el.scrollIntoView({ block: "end" }); }
      if (typingUser === frame.author.id) { clearTyping(); } // their message is here
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

  function insertInOrder(el, id, container) {
    // A replayed message can be older than one already shown: keep id order.
    var later = null;
    var shown = container.querySelectorAll(":scope > .message");
    for (var i = shown.length - 1; i >= 0 && parseInt(shown[i].dataset.id, 10) > id; i--) {
      later = shown[i];
    }
    if (later) { later.before(el); } else { container.append(el); }
  }

  // Threads: the replies to a top-level message fold under it, in a <details>
  // that counts them and, while closed, those by others not yet opened.
  function threadOf(parentId, create) {
    var thread = list.querySelector('.thread[data-thread="' + parentId + '"]');
    var parent = document.getElementById("m" + parentId);
    if (thread || !create || !parent || parent.dataset.parent) { return thread; }
    thread = document.createElement("details");
    thread.className = "thread";
    thread.dataset.thread = parentId;
    var summary = document.createElement("summary");
    var label = document.createElement("span");
    label.className = "thread__count";
    var badge = document.createElement("span");
    badge.className = "badge thread__unread";
    badge.hidden = true;
    summary.append(label, " ", badge);
    var replies = document.createElement("div");
    replies.className = "thread__messages";
    thread.append(summary, replies);
    parent.after(thread);
    watchThread(thread);
    return thread;
  }

  function countThread(thread, unread) {
    var n = thread.querySelectorAll(".thread__messages > .message").length;
    thread.querySelector(".thread__count").textContent = n === 1 ? d.labelReplyOne : d.labelReplies.replace("%s", n);
    var badge = thread.querySelector(".thread__unread");
    if (unread && !thread.open) {
      badge.dataset.count = (parseInt(badge.dataset.count, 10) || 0) + 1;
      var count = parseInt(badge.dataset.count, 10);
      badge.textContent = count === 1 ? d.labelUnreadOne : d.labelUnread.replace("%s", count);
      badge.hidden = false;
    }
  }

  function watchThread(thread) {
    thread.addEventListener("toggle", function () {
      if (!thread.open) { return; }
      var badge = thread.querySelector(".thread__unread");
      badge.hidden = true;
      badge.dataset.count = 0;
    });
  }
  Array.prototype.forEach.call(list.querySelectorAll(".thread"), watchThread);

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

  function clearTyping() {
    clearTimeout(typingTimer);
    typingEl.textContent = "";
    typingUser = null;
  }

  function onTyping(frame) {
    typingEl.textContent = frame.user.name + " " + d.labelTyping;
    typingUser = frame.user.id;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(clearTyping, 4000);
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
        if (pending[clientId] !== undefined) { send(pending[clientId]); }
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
      Object.keys(pending).forEach(function (clientId) { send(pending[clientId]); });
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
      if (uploading || (!body && !attachmentId)) { return; }
      var clientId = form.elements.client_id.value || uuid();
      var frame = { type: "message", body: body, client_id: clientId };
      if (replyTo) {
        frame = { type: "reply", parent: replyTo, body: body, client_id: clientId };
      }
      if (attachmentId) {
        frame.attachment = attachmentId;
        attachmentId = null;
        if (fileInput) { fileInput.value = ""; }
        if (fileStatus) { fileStatus.textContent = ""; }
      }
      pending[clientId] = frame; // sent again, as is, until acknowledged
      send(frame);
      textarea.value = "";
      form.elements.client_id.value = uuid();
      setReply(null);
    });
    // A file goes up over HTTP as soon as it is chosen; the next message frame names it.
    var fileInput = form.elements.file;
    var fileStatus = form.querySelector(".room__file-status");
    var attachmentId = null;
    var uploading = false;
    if (fileInput && window.fetch) {
      fileInput.addEventListener("change", function () {
        attachmentId = null;
        if (!fileInput.files.length) { fileStatus.textContent = ""; return; }
        var data = new FormData();
        data.append("file", fileInput.files[0]);
        uploading = true;
        fileStatus.textContent = d.labelUploading;
        fetch(form.dataset.uploadUrl, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
        }).then(function (response) {
          return response.json().then(function (json) { return { ok: response.ok, json: json }; });
        }).then(function (result) {
          uploading = false;
          if (result.ok) {
            attachmentId = result.json.attachment.id;
            fileStatus.textContent = d.labelAttached.replace("%s", result.json.attachment.name);
          } else {
            fileInput.value = "";
            fileStatus.textContent = result.json.detail || "";
          }
        }).catch(function () {
          uploading = false; // the plain form post still carries the file
          fileStatus.textContent = "";
        });
      });
    }
    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTyping > 3000) {
        lastTyping = now;
        send({ type: "typing" });
      }
    });
    textarea.addEventListener("keydown", function (event) {
      // Enter sends, Shift+Enter goes to a new line (said under the box).
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    var replying = form.querySelector(".room__replying");
    var setReply = function (id) {
      replyTo = id;
      if (form.elements.parent) { form.elements.parent.value = id || ""; }
      if (replying) { replying.hidden = !id; }
    };
    setReply(parseInt(form.elements.parent && form.elements.parent.value, 10) || null);
    var cancel = form.querySelector(".room__cancel-reply");
    if (cancel) { cancel.addEventListener("click", function () { setReply(null); }); }

    // Reply links and reaction buttons act on the socket when it is open
    // (without it, they are plain links and forms).
    list.addEventListener("click", function (event) {
      if (!socket || socket.readyState !== WebSocket.OPEN) { return; }
      var reply = event.target.closest("[data-reply]");
      if (reply) {
        event.preventDefault();
        setReply(parseInt(reply.dataset.reply, 10));
        textarea.focus();
        return;
      }
      var button = event.target.closest("button[data-emoji]");
      var message = button && button.closest(".message");
      if (!message) { return; }
      event.preventDefault();
      var existing = message.querySelector('.reaction--mine[data-emoji="' + button.dataset.emoji + '"]');
      send({ type: existing ? "unreact" : "react", id: parseInt(message.dataset.id, 10), emoji: button.dataset.emoji });
      var picker = button.closest("details");
      if (picker) { picker.open = false; }
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { scheduleRead(); }
  });
  setInterval(function () { send({ type: "ping" }); }, 30000);
  connect();
})();
