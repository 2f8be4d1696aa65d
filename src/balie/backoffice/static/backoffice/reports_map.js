/* Reports' maps (Leaflet, vendored): pick a place on the intake form, show open reports, show one
   report. Without JavaScript the forms and lists work as they are. */
(function () {
  "use strict";
  function json(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function start() {
    var element = document.getElementById("report-map");
    if (!element || !window.L) { return; }
    var tiles = document.getElementById("map-tiles");
    var centre = json("map-centre") || [51.19, 4.61];
    // The icons by their own static URLs (hashed names in production: Leaflet's guess fails).
    L.Marker.prototype.options.icon = L.icon({
      iconUrl: tiles.dataset.icon, iconRetinaUrl: tiles.dataset.icon2x, shadowUrl: tiles.dataset.shadow,
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], tooltipAnchor: [16, -28], shadowSize: [41, 41]
    });
    var map = L.map(element).setView(centre, 13);
    L.tileLayer(tiles.dataset.url, { maxZoom: 19, attribution: tiles.dataset.attribution }).addTo(map);
    var boundary = json("map-boundary");
    if (boundary) { map.fitBounds(L.polygon(boundary, { color: "#1d4f91", weight: 2, fill: false }).addTo(map).getBounds()); }
    var points = json("map-points");
    if (points) {
      points.forEach(function (p) {
        var link = document.createElement("a");
        link.href = p.url;
        link.textContent = p.title + " (" + p.status + ")";
        L.marker([p.lat, p.lon], { title: p.title }).addTo(map).bindPopup(link);
      });
    }
    if (element.dataset.lat) {
      var here = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
      L.marker(here).addTo(map);
      map.setView(here, 17);
    }
    if (element.dataset.pick) {
      var lat = document.getElementById("id_lat");
      var lon = document.getElementById("id_lon");
      var marker = null;
      var place = function (latlng) {
        if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      };
      if (lat.value && lon.value) { place([parseFloat(lat.value), parseFloat(lon.value)]); map.setView([parseFloat(lat.value), parseFloat(lon.value)], 17); }
      map.on("click", function (event) {
        lat.value = event.latlng.lat.toFixed(7);
        lon.value = event.latlng.lng.toFixed(7);
        place(event.latlng);
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
