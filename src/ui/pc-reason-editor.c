/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pc-reason-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pc-reason-editor.h"

/**
 * PcReasonEditor:
 *
 * The optional reason of a re-invite: a multi-line text view in a frame, with its
 * mnemonic label and a placeholder saying that an empty reason sends the API's standard
 * one. #PcReasonEditor:text follows every keystroke, so that a dialog can keep it as a
 * draft as it is typed.
 */
struct _PcReasonEditor
{
  AdwBin       parent_instance;

  gboolean     empty;

  /* Template widgets */
  GtkTextView *text_view;
  GtkWidget   *placeholder_label;
};

G_DEFINE_FINAL_TYPE (PcReasonEditor, pc_reason_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_EMPTY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkTextBuffer *
get_buffer (PcReasonEditor *self)
{
  return gtk_text_view_get_buffer (self->text_view);
}

static void
buffer_changed_cb (PcReasonEditor *self,
                   GtkTextBuffer  *buffer)
{
  gboolean empty = gtk_text_buffer_get_char_count (buffer) == 0;

  gtk_widget_set_visible (self->placeholder_label, empty);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);

  if (empty != self->empty)
    {
      self->empty = empty;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
    }
}

static gboolean
pc_reason_editor_grab_focus (GtkWidget *widget)
{
  PcReasonEditor *self = PC_REASON_EDITOR (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
pc_reason_editor_dispose (GObject *object)
{
  PcReasonEditor *self = (PcReasonEditor *) object;

  if (self->text_view != NULL)
    g_signal_handlers_disconnect_by_data (get_buffer (self), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PC_TYPE_REASON_EDITOR);

  G_OBJECT_CLASS (pc_reason_editor_parent_class)->dispose (object);
}

static void
pc_reason_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PcReasonEditor *self = PC_REASON_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_take_string (value, pc_reason_editor_dup_text (self));
      break;
    case PROP_EMPTY:
      g_value_set_boolean (value, self->empty);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_reason_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PcReasonEditor *self = PC_REASON_EDITOR (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      pc_reason_editor_set_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pc_reason_editor_class_init (PcReasonEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pc_reason_editor_dispose;
  object_class->get_property = pc_reason_editor_get_property;
  object_class->set_property = pc_reason_editor_set_property;

  widget_class->grab_focus = pc_reason_editor_grab_focus;

  /**
   * PcReasonEditor:text:
   *
   * The text as typed; empty for the standard reason. Notified on every change.
   */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/PhoneChat/pc-reason-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PcReasonEditor, text_view);
  gtk_widget_class_bind_template_child (widget_class, PcReasonEditor, placeholder_label);
}

static void
pc_reason_editor_init (PcReasonEditor *self)
{
  self->empty = TRUE;

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (get_buffer (self), "changed",
                           G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
pc_reason_editor_new (void)
{
  return g_object_new (PC_TYPE_REASON_EDITOR, NULL);
}

/**
 * pc_reason_editor_dup_text:
 *
 * Returns: (transfer full): the text as typed, possibly empty
 */
char *
pc_reason_editor_dup_text (PcReasonEditor *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (PC_IS_REASON_EDITOR (self), NULL);

  gtk_text_buffer_get_bounds (get_buffer (self), &start, &end);
  return gtk_text_buffer_get_text (get_buffer (self), &start, &end, FALSE);
}

/**
 * pc_reason_editor_set_text:
 * @text: (nullable): the text; %NULL empties the editor
 */
void
pc_reason_editor_set_text (PcReasonEditor *self,
                           const char     *text)
{
  g_autofree char *current = NULL;

  g_return_if_fail (PC_IS_REASON_EDITOR (self));

  current = pc_reason_editor_dup_text (self);
  if (g_strcmp0 (current, text != NULL ? text : "") == 0)
    return;

  /* The buffer's changed handler notifies. */
  gtk_text_buffer_set_text (get_buffer (self), text != NULL ? text : "", -1);
}

gboolean
pc_reason_editor_get_empty (PcReasonEditor *self)
{
  g_return_val_if_fail (PC_IS_REASON_EDITOR (self), TRUE);

  return self->empty;
}
