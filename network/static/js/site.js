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
