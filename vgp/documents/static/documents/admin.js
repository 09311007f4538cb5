// Official documents, back office: a search box above long lists of agencies (the sender, the
// recipients), filtering their options as one types. Without JavaScript the list still works.
(function () {
    "use strict";

    function fold(text) {
        return (text || "")
            .normalize("NFD")
            .replace(/[\u0300-\u036f]/g, "")
            .replace(/đ/g, "d")
            .replace(/Đ/g, "D")
            .toLowerCase();
    }

    function enhance(select) {
        if (select.dataset.documentsFilterReady) {
            return;
        }
        select.dataset.documentsFilterReady = "1";
        var box = document.createElement("input");
        box.type = "search";
        box.className = "documents-filter-box";
        box.id = select.id + "-filter";
        box.setAttribute("autocomplete", "off");
        var label = document.createElement("label");
        label.htmlFor = box.id;
        label.className = "w-sr-only";
        label.textContent = (select.labels && select.labels[0] ? select.labels[0].textContent.trim() + ": " : "") + (document.documentElement.lang === "vi" ? "tìm trong danh sách" : "search the list");
        box.placeholder = document.documentElement.lang === "vi" ? "Gõ để tìm…" : "Type to search…";
        select.parentNode.insertBefore(label, select);
        select.parentNode.insertBefore(box, select);
        var options = Array.prototype.slice.call(select.options);
        box.addEventListener("input", function () {
            var wanted = fold(box.value.trim());
            options.forEach(function (option) {
                var shown = !wanted || option.selected || option.value === "" || fold(option.textContent).indexOf(wanted) !== -1;
                option.hidden = !shown;
                option.disabled = !shown && !option.selected;
            });
        });
    }

    function start() {
        document.querySelectorAll("[data-documents-filterable] select, select[data-documents-filter]").forEach(enhance);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
