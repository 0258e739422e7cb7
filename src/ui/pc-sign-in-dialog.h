/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pc-session.h"

G_BEGIN_DECLS

#define PC_TYPE_SIGN_IN_DIALOG (pc_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PcSignInDialog, pc_sign_in_dialog, PC, SIGN_IN_DIALOG, AdwDialog)

PcSignInDialog *pc_sign_in_dialog_new           (PcSession      *session,
                                                 GSettings      *settings) G_GNUC_WARN_UNUSED_RESULT;
const char     *pc_sign_in_dialog_get_error_text (PcSignInDialog *self);
const char     *pc_sign_in_dialog_get_authorize_url (PcSignInDialog *self);

G_END_DECLS
