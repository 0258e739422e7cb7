/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PC_TYPE_REASON_EDITOR (pc_reason_editor_get_type ())
G_DECLARE_FINAL_TYPE (PcReasonEditor, pc_reason_editor, PC, REASON_EDITOR, AdwBin)

GtkWidget  *pc_reason_editor_new      (void) G_GNUC_WARN_UNUSED_RESULT;
char       *pc_reason_editor_dup_text (PcReasonEditor *self);
void        pc_reason_editor_set_text (PcReasonEditor *self,
                                       const char     *text);
gboolean    pc_reason_editor_get_empty (PcReasonEditor *self);

G_END_DECLS
