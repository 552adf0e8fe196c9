/* The live classroom: one WebSocket (protocol in virtual_classes/README.md) and,
   on demand, the Jitsi iframe API loaded from the configured domain. */
(function () {
  "use strict";
  var root = document.getElementById("classroom");
  if (!root) return;
  var T = JSON.parse(document.getElementById("classroom-strings").textContent);
  var classId = root.dataset.classId, isInstructor = root.dataset.instructor === "1";
  var $ = function (sel) { return root.querySelector(sel); };
  var socket, lastId = 0, backoff = 1000, closedForGood = false, me = null, people = {}, removed = {};
  var poll = null, myVote = null;

  function el(tag, text) { var e = document.createElement(tag); if (text != null) e.textContent = text; return e; }
  function send(obj) { if (socket && socket.readyState === 1) socket.send(JSON.stringify(obj)); }
  function status(text) { $("[data-status]").textContent = text; }

  // A chat line's time as the class keeps it (Cairo), in the page's language with
  // the site's Western digits: "14:05".
  var clock = new Intl.DateTimeFormat((root.dataset.lang || "ar") + "-u-nu-latn", {
    hour: "2-digit", minute: "2-digit", hour12: false, timeZone: root.dataset.tz || "Africa/Cairo"
  });
  function sentAt(iso) {
    var t = el("time", clock.format(new Date(iso))); t.dateTime = iso; return t;
  }
  function addMessage(m) {
    if (m.id <= lastId) return;
    lastId = m.id;
    var li = el("li");
    if (m.sent_at) li.appendChild(sentAt(m.sent_at));
    li.appendChild(el("b", m.name));
    var text = el("span", m.text); text.dir = "auto"; li.appendChild(text);
    var list = $("[data-chat]"); list.appendChild(li);
    while (list.children.length > 200) list.removeChild(list.firstChild);
    list.scrollTop = list.scrollHeight;
  }
  function drawHands(hands) {
    var list = $("[data-hands]"); list.textContent = "";
    hands.forEach(function (h) {
      var li = el("li", h.name + " ");
      if (isInstructor) { var b = el("button", T.lower); b.type = "button"; b.onclick = function () { send({ type: "hand.lower", user_id: h.user_id }); }; li.appendChild(b); }
      list.appendChild(li);
    });
  }
  function drawPeople() {
    var list = $("[data-people]"); list.textContent = "";
    var ids = Object.keys(people); $("[data-count]").textContent = ids.length;
    ids.forEach(function (id) {
      var p = people[id], li = el("li", p.name + (p.instructor ? " (" + T.instructor + ")" : "") + " ");
      if (isInstructor && !p.instructor) { var b = el("button", T.remove); b.type = "button"; b.onclick = function () { if (confirm(T.confirm_remove)) send({ type: "participant.remove", user_id: p.user_id }); }; li.appendChild(b); }
      list.appendChild(li);
    });
  }
  function drawRemoved() {
    var list = $("[data-removed]"); if (!list) return;
    list.textContent = "";
    Object.keys(removed).forEach(function (id) {
      var p = removed[id], li = el("li", p.name + " ");
      var b = el("button", T.readmit); b.type = "button";
      b.onclick = function () { send({ type: "participant.readmit", user_id: p.user_id }); };
      li.appendChild(b); list.appendChild(li);
    });
    $("[data-removed-box]").hidden = !Object.keys(removed).length;
  }
  function drawPoll() {
    var box = $("[data-poll]"); box.textContent = "";
    if (!poll || poll.closed && !poll.tallies) return;
    box.appendChild(el("p", poll.question));
    var total = poll.tallies.reduce(function (a, b) { return a + b; }, 0);
    poll.options.forEach(function (label, i) {
      var row = el("p", label + " — " + poll.tallies[i] + "/" + total + " " + T.votes + " ");
      if (!poll.closed && myVote === null && !isInstructor) { var b = el("button", T.vote); b.type = "button"; b.onclick = function () { send({ type: "poll.vote", poll_id: poll.id, option: i }); }; row.appendChild(b); }
      box.appendChild(row);
    });
    if (isInstructor && !poll.closed) { var c = el("button", T.close_poll); c.type = "button"; c.onclick = function () { send({ type: "poll.close", poll_id: poll.id }); }; box.appendChild(c); }
  }

  var handlers = {
    snapshot: function (m) {
      me = m.you; (m.messages || []).forEach(addMessage); drawHands(m.hands);
      people = {}; m.present.forEach(function (p) { people[p.user_id] = p; }); drawPeople();
      removed = {}; (m.removed || []).forEach(function (p) { removed[p.user_id] = p; }); drawRemoved();
      poll = m.poll; myVote = poll ? poll.my_vote : null; drawPoll();
      $("[data-chat-muted]").hidden = !m.class.chat_muted; status(T.connected);
    },
    "chat.message": function (m) { addMessage(m.message); },
    "hand.queue": function (m) { drawHands(m.hands); },
    "poll.update": function (m) { if (!poll || poll.id !== m.poll.id) myVote = null; poll = m.poll; drawPoll(); },
    "poll.voted": function (m) { myVote = m.option; drawPoll(); },
    "presence.join": function (m) { people[m.user.user_id] = m.user; drawPeople(); },
    "presence.leave": function (m) { delete people[m.user_id]; drawPeople(); },
    "chat.muted": function (m) { $("[data-chat-muted]").hidden = !m.muted; },
    "class.ended": function () { closedForGood = true; },
    "participant.removed": function (m) {
      if (me && m.user_id === me.user_id) { closedForGood = true; return; }
      if (people[m.user_id]) { removed[m.user_id] = { user_id: m.user_id, name: people[m.user_id].name }; delete people[m.user_id]; }
      drawPeople(); drawRemoved();
    },
    "participant.readmitted": function (m) { delete removed[m.user.user_id]; drawRemoved(); },
    error: function (m) { status(m.message); if (m.code === "closed" || ["forbidden", "removed", "ended", "cancelled", "not_found", "not_authenticated"].indexOf(m.code) >= 0) closedForGood = true; },
    pong: function () {}
  };

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/classes/" + classId + "/" + (lastId ? "?since=" + lastId : ""));
    socket.onopen = function () { backoff = 1000; };
    socket.onmessage = function (e) { var m = JSON.parse(e.data); (handlers[m.type] || function () {})(m); };
    socket.onclose = function (e) {
      if (closedForGood || (e.code >= 4000 && e.code !== 4008)) { status(T.closed); return; }
      status(T.reconnecting); setTimeout(connect, backoff); backoff = Math.min(backoff * 2, 30000);
    };
  }

  $("[data-chat-form]").addEventListener("submit", function (e) {
    e.preventDefault(); var input = this.elements.text;
    if (input.value.trim()) send({ type: "chat.send", text: input.value }); input.value = "";
  });
  root.addEventListener("click", function (e) {
    var action = e.target.dataset && e.target.dataset.action;
    if (action === "hand") { var up = me && Array.prototype.some.call(root.querySelectorAll("[data-hands] li"), function (li) { return li.firstChild.textContent.trim() === me.name; }); send({ type: up ? "hand.lower" : "hand.raise" }); }
    if (action === "hand-clear") send({ type: "hand.clear" });
    if (action === "mute") send({ type: "chat.mute", muted: $("[data-chat-muted]").hidden });
    if (action === "end" && confirm(T.confirm_end)) send({ type: "class.end" });
    if (action === "start-video") startVideo(e.target);
  });
  var pollForm = $("[data-poll-form]");
  if (pollForm) pollForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var options = this.elements.options.value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean);
    send({ type: "poll.open", question: this.elements.question.value, options: options });
  });

  function videoUnavailable() { $("[data-video-unavailable]").hidden = false; }
  function startVideo(button) {
    button.disabled = true;
    // a refusal answers {code, message, fields} (lms.kernel.api.errors): say why
    fetch(root.dataset.joinUrl, { credentials: "same-origin" }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) throw { code: body.code || "server_error", message: body.message || "" };
        return body;
      });
    }).then(function (join) {
      if (!join.video.available) videoUnavailable();
      var s = document.createElement("script");
      s.src = "https://" + join.domain + "/external_api.js";
      s.onerror = videoUnavailable;
      s.onload = function () {
        /* global JitsiMeetExternalAPI */
        new JitsiMeetExternalAPI(join.domain, {
          roomName: join.room, jwt: join.jwt || undefined, parentNode: $("[data-video-frame]"),
          configOverwrite: join.config_overwrite, interfaceConfigOverwrite: join.interface_config_overwrite,
          userInfo: me ? { displayName: me.name } : undefined, lang: root.dataset.lang
        });
      };
      document.head.appendChild(s);
    }).catch(function (error) {
      var refused = !!(error && typeof error.code === "string" && error.code !== "server_error" && error.message);
      if (refused) status(error.message); else videoUnavailable();
      // the class ended or the person was removed: trying again cannot help
      button.disabled = refused && ["ended", "removed"].indexOf(error.code) >= 0;
    });
  }
  connect();
})();
