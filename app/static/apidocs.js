// Starts Swagger UI on /api/docs (a file, not inline, for the CSP).
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("swagger-ui");
  if (!el || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: el.getAttribute("data-url"),
    domNode: el,
    deepLinking: true,
    tryItOutEnabled: false,
    supportedSubmitMethods: ["get"],
    validatorUrl: null
  });
});
