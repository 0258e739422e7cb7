/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void pc_entry_row_name_apply_button (AdwEntryRow *row,
                                     const char  *label);
void pc_password_entry_row_name_peek_button (AdwPasswordEntryRow *row,
                                             const char          *show_label,
                                             const char          *hide_label);

G_END_DECLS
