// "Near me" on the test centres' page: the browser's position, used in the page
// only (never sent anywhere), sorts the list by great-circle distance and places a
// marker on both maps. Without a script or a position the governorate form works.
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  var list = document.querySelector("[data-centres]");
  if (!button || !list || !("geolocation" in navigator)) {
    return;
  }
  var status = document.querySelector("[data-locate-status]");
  var template = document.querySelector("[data-km-text]");
  var kmText = template ? template.innerHTML.trim() : "%(km)s km";
  var EARTH_KM = 6371.0088;

  function radians(deg) {
    return (deg * Math.PI) / 180;
  }

  function haversine(lat1, lon1, lat2, lon2) {
    var dphi = radians(lat2 - lat1);
    var dlambda = radians(lon2 - lon1);
    var a =
      Math.pow(Math.sin(dphi / 2), 2) +
      Math.cos(radians(lat1)) * Math.cos(radians(lat2)) * Math.pow(Math.sin(dlambda / 2), 2);
    return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  function place(svg, lat, lon) {
    var me = svg.querySelector(".me");
    if (!me) {
      return;
    }
    var west = Number(svg.dataset.west);
    var north = Number(svg.dataset.north);
    var scale = Number(svg.dataset.scale);
    var xf = Number(svg.dataset.xf);
    me.setAttribute("cx", ((lon - west) * xf * scale).toFixed(1));
    me.setAttribute("cy", ((north - lat) * scale).toFixed(1));
    me.setAttribute("visibility", "visible");
    var title = me.querySelector("title");
    if (title) {
      title.textContent = button.dataset.here || "";
    }
  }

  function show(position) {
    var lat = position.coords.latitude;
    var lon = position.coords.longitude;
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-lat]"));
    items.forEach(function (item) {
      var km = haversine(lat, lon, Number(item.dataset.lat), Number(item.dataset.lon));
      item.dataset.km = String(km);
      var distance = item.querySelector("[data-distance]");
      if (distance) {
        distance.textContent = kmText.replace("%(km)s", String(Math.round(km)));
      }
    });
    items.sort(function (a, b) {
      return Number(a.dataset.km) - Number(b.dataset.km);
    });
    items.forEach(function (item) {
      list.appendChild(item);
    });
    document.querySelectorAll("svg.egypt-map").forEach(function (svg) {
      place(svg, lat, lon);
      svg.querySelectorAll(".centre.near").forEach(function (dot) {
        dot.classList.remove("near");
      });
      if (items.length) {
        var link = svg.querySelector('a[data-code="' + items[0].dataset.code + '"] .centre');
        if (link) {
          link.classList.add("near");
        }
      }
    });
    status.textContent = button.dataset.done || "";
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting || "";
    navigator.geolocation.getCurrentPosition(
      show,
      function () {
        status.textContent = button.dataset.failed || "";
      },
      { maximumAge: 600000, timeout: 15000 }
    );
  });
})();
