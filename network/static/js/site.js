// Progressive enhancement only: every page works without this script.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
    const toggle = document.querySelector(".nav-toggle");
    const nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
        const open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", String(!open));
        nav.classList.toggle("is-open", !open);
    });
});

// Filter panels (<details data-fold-narrow>) start folded on a phone.
document.addEventListener("DOMContentLoaded", () => {
    if (!window.matchMedia("(max-width: 48rem)").matches) return;
    document.querySelectorAll("details[data-fold-narrow]:not([data-keep-open])").forEach((details) => {
        details.open = false;
    });
});

// The unread badge of the header (members only: the attribute is not rendered
// for visitors, so cached anonymous pages are unchanged). Polled while the
// page is visible, and at once when it comes back to the front.
document.addEventListener("DOMContentLoaded", () => {
    const link = document.querySelector("[data-unread-url]");
    const badge = link && link.querySelector("[data-unread-badge]");
    if (!badge) return;
    const every = 30000;
    let timer = null;
    const show = (data) => {
        const unread = Number(data.unread) || 0;
        const mentions = Number(data.mentions) || 0;
        badge.hidden = unread === 0;
        badge.textContent = unread > 99 ? "99+" : String(unread);
        badge.classList.toggle("badge--mention", mentions > 0);
        let label = badge.dataset.labelUnread.replace("%(count)s", unread);
        if (mentions) label += ", " + badge.dataset.labelMentions.replace("%(count)s", mentions);
        badge.title = label;
        badge.setAttribute("aria-label", label);
    };
    const refresh = () => {
        clearTimeout(timer);
        fetch(link.dataset.unreadUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
            .then((response) => (response.ok ? response.json() : null))
            .then((data) => { if (data) show(data); })
            .catch(() => {})
            .finally(() => { if (!document.hidden) timer = setTimeout(refresh, every); });
    };
    document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
    document.addEventListener("discussion:read", refresh);
    refresh();
});
