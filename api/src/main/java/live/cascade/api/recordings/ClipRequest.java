package live.cascade.api.recordings;

/** The body of {@code POST /api/recordings/{id}/clips}: seconds from the recording's start, and an optional title. */
record ClipRequest(Double start, Double end, String title) {
}
