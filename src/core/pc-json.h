/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pc-types.h"

G_BEGIN_DECLS

#define PC_JSON_ERROR (pc_json_error_quark ())

/**
 * PcJsonError:
 * @PC_JSON_ERROR_NOT_JSON: the body is not JSON at all (an HTML page, XML, plain text,
 *   nothing); the message describes what it is
 * @PC_JSON_ERROR_SYNTAX: the body looks like JSON but is not strict JSON: truncated, with
 *   comments, single-quoted strings or a second document, or nested deeper than
 *   %JSON_PARSER_MAX_RECURSION_DEPTH levels
 * @PC_JSON_ERROR_NOT_OBJECT: an object was expected (at the root, or as a member)
 * @PC_JSON_ERROR_MISSING_MEMBER: a required member is absent
 * @PC_JSON_ERROR_NULL_MEMBER: a member that cannot be null is null
 * @PC_JSON_ERROR_WRONG_TYPE: a member has the wrong JSON type
 * @PC_JSON_ERROR_BAD_VALUE: a member has the right type but an impossible value (a bad
 *   date, an out-of-range number, credits with more than four decimals)
 *
 * Every message except NOT_JSON and SYNTAX starts with the member's path, e.g.
 * `Bookings[2].Client.UserID: expected an integer, got a string`.
 */
typedef enum
{
  PC_JSON_ERROR_NOT_JSON,
  PC_JSON_ERROR_SYNTAX,
  PC_JSON_ERROR_NOT_OBJECT,
  PC_JSON_ERROR_MISSING_MEMBER,
  PC_JSON_ERROR_NULL_MEMBER,
  PC_JSON_ERROR_WRONG_TYPE,
  PC_JSON_ERROR_BAD_VALUE,
} PcJsonError;

GQuark pc_json_error_quark (void);

/**
 * PcReceivedPage:
 * @page_count: PageCount (0 when the body was a bare array)
 * @page_number: PageNumber
 * @bookings_per_page: BookingsPerPage
 * @bookings_total: BookingsTotal
 * @bookings: (element-type PcBooking): the bookings, in the body's order
 *
 * A page of received bookings. A bare JSON array is read as a single page.
 */
typedef struct
{
  gint       page_count;
  gint       page_number;
  gint       bookings_per_page;
  gint       bookings_total;
  GPtrArray *bookings;
} PcReceivedPage;

void           pc_received_page_free            (PcReceivedPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PcReceivedPage, pc_received_page_free)

/**
 * PcDeleteResult:
 * @booking_id: BookingID
 * @deleted: Deleted: whether the booking was deleted
 * @message: (nullable): Message: the server's explanation of a failure, as it sent it
 *   (untrusted text); %NULL when it sent null
 *
 * One item of DeleteReceivedBooking's answer (reference §6.4): an array with one per
 * requested booking, where mixed success is normal.
 */
typedef struct
{
  gint64    booking_id;
  gboolean  deleted;
  char     *message;
} PcDeleteResult;

PcDeleteResult *pc_delete_result_new            (gint64          booking_id,
                                                gboolean        deleted,
                                                const char     *message) G_GNUC_WARN_UNUSED_RESULT;
void           pc_delete_result_free           (PcDeleteResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PcDeleteResult, pc_delete_result_free)

GTimeZone     *pc_json_get_default_zone        (void);

JsonNode      *pc_json_parse_bytes             (GBytes        *bytes,
                                                GError       **error);

PcBooking     *pc_json_booking_from_bytes      (GBytes        *bytes,
                                                GTimeZone     *zone,
                                                GError       **error);
PcBooking     *pc_json_booking_from_node       (JsonNode      *node,
                                                GTimeZone     *zone,
                                                const char    *path,
                                                GError       **error);
PcReceivedPage *pc_json_page_from_bytes         (GBytes        *bytes,
                                                GTimeZone     *zone,
                                                GError       **error);

GPtrArray     *pc_json_delete_results_from_bytes (GBytes      *bytes,
                                                GError       **error);
JsonNode      *pc_json_delete_results_to_node  (GPtrArray     *results);

JsonNode      *pc_json_booking_to_node         (PcBooking     *booking,
                                                GTimeZone     *zone);
JsonNode      *pc_json_bookings_to_node        (GPtrArray     *bookings,
                                                GTimeZone     *zone);
JsonNode      *pc_json_page_to_node            (PcReceivedPage *page,
                                                GTimeZone     *zone);
char          *pc_json_node_to_string          (JsonNode      *node,
                                                gboolean       pretty);

/**
 * PcBodyKind:
 * @PC_BODY_EMPTY: nothing, or only white space
 * @PC_BODY_HTML: an HTML page (an error page, a proxy's or a security check's)
 * @PC_BODY_XML: an XML document
 * @PC_BODY_TEXT: other text that is not JSON
 * @PC_BODY_JSON: something that starts like JSON
 */
typedef enum
{
  PC_BODY_EMPTY,
  PC_BODY_HTML,
  PC_BODY_XML,
  PC_BODY_TEXT,
  PC_BODY_JSON,
} PcBodyKind;

char          *pc_json_error_message_from_body (GBytes        *bytes);
PcBodyKind     pc_json_classify_body           (GBytes        *bytes,
                                                char         **excerpt);

G_END_DECLS
