package live.cascade.hls;

/** Hears about finished recordings, on the tap's own thread (it may block briefly, e.g. for a database insert). */
public interface RecordingListener {
    void onRecordingFinished(FinishedRecording recording);

    RecordingListener NONE = r -> {};
}
