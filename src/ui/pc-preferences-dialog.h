/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PC_TYPE_PREFERENCES_DIALOG (pc_preferences_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PcPreferencesDialog, pc_preferences_dialog, PC, PREFERENCES_DIALOG, AdwPreferencesDialog)

PcPreferencesDialog *pc_preferences_dialog_new         (GSettings           *settings) G_GNUC_WARN_UNUSED_RESULT;
void                 pc_preferences_dialog_set_account (PcPreferencesDialog *self,
                                                        const char          *name,
                                                        const char          *details);

G_END_DECLS
