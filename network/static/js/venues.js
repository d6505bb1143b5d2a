// Venue maps (directory, venue page) and the position picker of the admin editor.
// Progressive enhancement: without JavaScript the list, the facts and the
// latitude/longitude fields work on their own. No inline script (CSP): data
// comes from data- attributes and from the GeoJSON feed.
(function () {
    "use strict";
    var TILES = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png";
    var ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';
    var MEL_CENTRE = [50.6292, 3.0573];

    function baseMap(element, centre, zoom) {
        if (typeof L === "undefined") return null;
        // Zoom buttons titled in the page's language (data-label-* from includes/map_labels.html).
        var map = L.map(element, { scrollWheelZoom: false, zoomControl: false }).setView(centre, zoom);
        L.control.zoom({
            zoomInTitle: element.dataset.labelZoomIn || "+",
            zoomOutTitle: element.dataset.labelZoomOut || "-",
        }).addTo(map);
        L.tileLayer(TILES, { maxZoom: 19, attribution: ATTRIBUTION }).addTo(map);
        return map;
    }

    function escapeText(text) {
        var span = document.createElement("span");
        span.textContent = text == null ? "" : String(text);
        return span.innerHTML;
    }

    // The Métropole's outline, and the chosen commune's (same outlines as the import's).
    var OUTLINE_STYLES = {
        metropole: { color: "#1d4e89", weight: 2, dashArray: "6 4", fill: false, interactive: false },
        commune: { color: "#c2410c", weight: 2, fillOpacity: 0.08, interactive: false },
    };

    // Resolves to the chosen commune's layer (or null) once drawn.
    function drawOutlines(map, element) {
        var url = element.dataset.outlinesUrl;
        if (!url) return Promise.resolve(null);
        var code = element.dataset.commune || "";
        return fetch(url, { headers: { Accept: "application/geo+json" } })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (data) {
                if (!data) return null;
                var layer = L.geoJSON(data, {
                    filter: function (feature) {
                        var p = feature.properties;
                        return p.kind === "metropole" || (code !== "" && p.insee_code === code);
                    },
                    style: function (feature) { return OUTLINE_STYLES[feature.properties.kind]; },
                }).addTo(map);
                layer.bringToBack();
                var chosen = null;
                layer.eachLayer(function (shape) {
                    if (shape.feature.properties.kind === "commune") chosen = shape;
                });
                return chosen;
            })
            .catch(function () { return null; }); // the map works without its outlines
    }

    function directoryMap(element) {
        var map = baseMap(element, MEL_CENTRE, 11);
        if (!map) return;
        // Embedded on another site (data-link-target="_blank"): links open a new tab.
        var target = element.dataset.linkTarget === "_blank" ? ' target="_blank" rel="noopener"' : "";
        var outlines = drawOutlines(map, element);
        fetch(element.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (data) {
                if (!data) return null;
                var layer = L.geoJSON(data, {
                    // Each marker is named by its venue (Leaflet's default is "Marker").
                    pointToLayer: function (feature, latlng) {
                        var name = feature.properties.name || "";
                        return L.marker(latlng, { title: name, alt: name });
                    },
                    onEachFeature: function (feature, marker) {
                        var p = feature.properties;
                        marker.bindPopup(
                            '<a href="' + escapeText(p.url) + '"' + target + '>' + escapeText(p.name) + "</a><br>" + escapeText(p.commune)
                        );
                    },
                });
                var bounds = layer.getBounds();
                clustered(layer, element).addTo(map);
                if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
                else outlines.then(function (chosen) {  // no venue listed: show the chosen commune
                    if (chosen) map.fitBounds(chosen.getBounds(), { padding: [10, 10] });
                });
            })
            .catch(function () { element.hidden = true; });
    }

    // Nearby venues grouped under one numbered button, named for screen readers.
    function clustered(layer, element) {
        if (typeof L.markerClusterGroup !== "function") return layer;
        var label = element.dataset.labelCluster || "{count}";
        var group = L.markerClusterGroup({
            showCoverageOnHover: false,
            iconCreateFunction: function (cluster) {
                var count = cluster.getChildCount();
                var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
                return L.divIcon({
                    html: '<div><span aria-hidden="true">' + count + '</span><span class="visually-hidden">' +
                        escapeText(label.replace("{count}", count)) + "</span></div>",
                    className: "marker-cluster marker-cluster-" + size,
                    iconSize: L.point(40, 40),
                });
            },
        });
        group.addLayer(layer);
        return group;
    }

    function singleMap(element) {
        var position = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lng)];
        if (isNaN(position[0]) || isNaN(position[1])) return;
        var map = baseMap(element, position, 15);
        if (!map) return;
        L.marker(position, { title: element.dataset.name || "", alt: element.dataset.name || "" }).addTo(map);
        drawOutlines(map, element);
    }

    // Admin: a map under the latitude/longitude inputs; a click or a drag fills them.
    function coordinatePicker(latInput) {
        var form = latInput.form;
        var lngInput = form && form.querySelector('input[data-coordinate="lng"]');
        if (!lngInput || latInput.dataset.pickerReady) return;
        latInput.dataset.pickerReady = "1";
        var container = document.createElement("div");
        container.className = "venue-map venue-map--picker";
        var row = lngInput.closest(".w-field__wrapper, .w-panel__content, .field-row") || lngInput.parentNode;
        row.parentNode.insertBefore(container, row.nextSibling);
        var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
        var known = !isNaN(lat) && !isNaN(lng);
        var map = baseMap(container, known ? [lat, lng] : MEL_CENTRE, known ? 16 : 11);
        if (!map) return;
        var marker = null;
        function place(latlng) {
            if (!marker) {
                marker = L.marker(latlng, { draggable: true }).addTo(map);
                marker.on("dragend", function () { fill(marker.getLatLng()); });
            } else {
                marker.setLatLng(latlng);
            }
        }
        function fill(latlng) {
            latInput.value = latlng.lat.toFixed(6);
            lngInput.value = latlng.lng.toFixed(6);
            latInput.dispatchEvent(new Event("change", { bubbles: true }));
        }
        if (known) place([lat, lng]);
        map.on("click", function (event) { place(event.latlng); fill(event.latlng); });
        [latInput, lngInput].forEach(function (input) {
            input.addEventListener("change", function () {
                var a = parseFloat(latInput.value), b = parseFloat(lngInput.value);
                if (!isNaN(a) && !isNaN(b)) { place([a, b]); map.panTo([a, b]); }
            });
        });
    }

    function init() {
        document.querySelectorAll("[data-venue-map]").forEach(function (element) {
            if (element.dataset.geojsonUrl) directoryMap(element);
            else singleMap(element);
        });
        document.querySelectorAll('input[data-coordinate="lat"]').forEach(coordinatePicker);
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
})();
