/*
 * AnchorNet: accessible names for the admin's autocomplete (select2) widgets.
 *
 * Django's admin/js/autocomplete.js turns each <select class="admin-autocomplete"> into a
 * select2 widget, whose controls do not carry the field's label: the combobox of a single
 * choice is named only by the value chosen (nothing when empty), and the search box of a
 * multiple choice has no name at all. This file wraps $.fn.djangoAdminSelect2, so every
 * widget it makes (on page load and in inline rows added later) is named by the original
 * <select>'s <label>, and the "remove all" cross of a multiple choice sits in a list item,
 * as a <ul> allows. Loaded after autocomplete.js by core.admin's autocomplete widgets' Media.
 */
'use strict';
{
    const $ = django.jQuery;
    const original = $.fn.djangoAdminSelect2;

    // The id of the <select>'s first label (given one if it has none), or null.
    function labelId(select) {
        const label = select.labels && select.labels[0];
        if (!label) {
            return null;
        }
        if (!label.id) {
            label.id = select.id + '-label';
        }
        return label.id;
    }

    // select2 puts the "remove all" cross (a <span>) straight into the <ul> of chosen items,
    // where only <li> may be; wrap it in one. select2 empties the <ul> on every change, so the
    // wrapper goes with it and a new cross is wrapped as it arrives.
    function wrapClearButtons(list) {
        for (const child of Array.from(list.children)) {
            if (child.matches('span.select2-selection__clear')) {
                const item = document.createElement('li');
                item.className = 'anchornet-select2-clear';
                list.insertBefore(item, child);
                item.appendChild(child);
            }
        }
    }

    function name(select) {
        const instance = $(select).data('select2');
        if (!instance) {
            return;
        }
        const id = labelId(select);
        const selection = instance.$container[0].querySelector('.select2-selection');
        const rendered = selection && selection.querySelector('.select2-selection__rendered');
        if (!selection || !rendered) {
            return;
        }
        if (select.multiple) {
            // The inline search box takes focus: it is the control to name.
            const search = rendered.querySelector('.select2-search__field');
            if (id) {
                selection.setAttribute('aria-labelledby', id);
                if (search) {
                    search.setAttribute('aria-labelledby', id);
                }
            }
            wrapClearButtons(rendered);
            new MutationObserver(() => wrapClearButtons(rendered)).observe(rendered, {childList: true});
        } else {
            // The combobox reads "<label> <value chosen>". The value inside it loses select2's
            // "textbox" role: it is neither editable nor a control of its own, and a textbox
            // would need a name of its own.
            rendered.removeAttribute('role');
            rendered.removeAttribute('aria-readonly');
            if (id) {
                selection.setAttribute('aria-labelledby', id + ' ' + rendered.id);
            }
        }
        // The search box in the drop-down of a single choice exists only while it is open.
        $(select).on('select2:open', () => {
            const field = instance.$dropdown[0].querySelector('.select2-search__field');
            if (field && id) {
                field.setAttribute('aria-labelledby', id);
            }
        });
    }

    // Without autocomplete.js there are no select2 widgets to name.
    if (original) {
        $.fn.djangoAdminSelect2 = function() {
            original.apply(this, arguments);
            $.each(this, (i, element) => name(element));
            return this;
        };
    }
}
