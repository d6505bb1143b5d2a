// "Intégrer sur votre site": rebuild the snippet and the preview as the visitor chooses.
// Progressive enhancement: without JavaScript the GET form shows the same
// snippet after each submission. No inline script (CSP): the paths, the site's
// address and the titles come from data- attributes of the form.
(function () {
    "use strict";
    var OPTIONS = ["target", "lang", "height"]; // the builder's own fields, not the embed's filters

    function escapeAttribute(text) {
        return String(text).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    }

    function init() {
        var form = document.querySelector("[data-embed-builder]");
        if (!form) return;
        var snippet = document.getElementById("embed-snippet");
        var preview = document.getElementById("embed-preview");
        var copy = document.querySelector("[data-embed-copy]");
        var status = document.querySelector("[data-embed-status]");
        var submit = form.querySelector("[data-embed-submit]");
        var timer = null;

        function target() {
            var checked = form.querySelector('input[name="target"]:checked');
            return checked ? checked.value : "agenda";
        }

        function height() {
            var value = parseInt(form.elements.height.value, 10);
            return value >= 200 && value <= 2000 ? value : 600;
        }

        // The filters of the chosen embed (the other fieldset is disabled, hence not in FormData).
        function embedPath(chosen) {
            var params = new URLSearchParams();
            new FormData(form).forEach(function (value, name) {
                if (value && OPTIONS.indexOf(name) === -1) params.append(name, value);
            });
            if (form.elements.lang.value) params.append("lang", form.elements.lang.value);
            var query = params.toString();
            return form.dataset[chosen + "Path"] + (query ? "?" + query : "");
        }

        function update() {
            var chosen = target();
            form.querySelectorAll("[data-embed-fields]").forEach(function (fieldset) {
                var active = fieldset.dataset.embedFields === chosen;
                fieldset.hidden = !active;
                fieldset.disabled = !active;
            });
            var path = embedPath(chosen);
            var title = form.dataset[chosen + "Title"];
            snippet.value =
                '<iframe src="' + escapeAttribute(form.dataset.siteUrl + path) + '" title="' + escapeAttribute(title) +
                '" width="100%" height="' + height() + '" style="border:0" loading="lazy"></iframe>';
            if (preview.getAttribute("src") !== path) preview.setAttribute("src", path);
            preview.setAttribute("height", height());
            if (status) status.textContent = "";
        }

        form.addEventListener("change", update);
        form.addEventListener("input", function () {
            clearTimeout(timer);
            timer = setTimeout(update, 300);
        });
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            update();
            if (window.history && history.replaceState) {
                history.replaceState(null, "", "?" + new URLSearchParams(new FormData(form)).toString());
            }
        });
        if (submit) submit.hidden = true;
        if (copy && navigator.clipboard) {
            copy.hidden = false;
            copy.addEventListener("click", function () {
                navigator.clipboard.writeText(snippet.value).then(function () {
                    if (status) status.textContent = status.dataset.copied;
                });
            });
        }
        snippet.addEventListener("focus", function () { snippet.select(); });
        update();
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
})();
