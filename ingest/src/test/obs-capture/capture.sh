#!/usr/bin/env bash
# Records a real OBS Studio publish for the RTMP codec's tests (ingest/src/test/resources/rtmp/obs-29-publish.bin):
#
#   capture.sh RTMP_PORT STREAM_KEY OUT_DIR      e.g. capture.sh 19350 live_… /tmp/obs-capture
#
# Needs a running node whose RTMP ingest is on RTMP_PORT and a channel's STREAM_KEY (README: "Try it with curl"),
# plus obs-studio and xvfb (Debian 12: apt-get install obs-studio xvfb; that is OBS 29.0.2). OBS runs headless in a
# throwaway HOME with a profile written here: custom RTMP server rtmp://127.0.0.1:RELAY_PORT/live, x264 640x360 at
# 30 fps, CRF 23 (a colour source then costs a few bytes a frame, so the whole publish stays small; CBR would pad
# with filler NAL units to the bitrate), keyframe every second, bframes=0, AAC 64 kbit/s (silent). relay.py sits
# between OBS and the node and writes each direction to OUT_DIR; after STREAM_SECONDS the stream is stopped through
# obs-websocket so OBS ends with its FCUnpublish and deleteStream. The encoder's bytes are OUT_DIR/obs-1-c2s.bin.
set -euo pipefail
port=$1 key=$2 out=$3
relay_port=${RELAY_PORT:-19351} ws_port=${WS_PORT:-14455} seconds=${STREAM_SECONDS:-3}
here=$(dirname "$(readlink -f "$0")")
mkdir -p "$out"
home=$(mktemp -d)
config=$home/.config/obs-studio
mkdir -p "$config/basic/profiles/capture" "$config/basic/scenes"

# FirstRun=true keeps the auto-configuration wizard away; obs-websocket 5.1 (OBS 29) reads its settings here.
cat > "$config/global.ini" <<INI
[General]
FirstRun=true
EnableAutoUpdates=false
[Basic]
Profile=capture
ProfileDir=capture
SceneCollection=capture
SceneCollectionFile=capture
[BasicWindow]
SysTrayEnabled=true
WarnBeforeStartingStream=false
WarnBeforeStoppingStream=false
[OBSWebSocket]
FirstLoad=false
ServerEnabled=true
ServerPort=$ws_port
AlertsEnabled=false
AuthRequired=false
INI
cat > "$config/basic/profiles/capture/basic.ini" <<INI
[General]
Name=capture
[Output]
Mode=Advanced
Reconnect=false
[AdvOut]
Encoder=obs_x264
AudioEncoder=ffmpeg_aac
TrackIndex=1
ApplyServiceSettings=false
Track1Bitrate=64
[Video]
BaseCX=640
BaseCY=360
OutputCX=640
OutputCY=360
FPSType=0
FPSCommon=30
[Audio]
SampleRate=48000
ChannelSetup=Stereo
INI
echo '{"rate_control":"CRF","crf":23,"bitrate":300,"keyint_sec":1,"preset":"veryfast","profile":"main","tune":"zerolatency","x264opts":"bframes=0"}' \
  > "$config/basic/profiles/capture/streamEncoder.json"
echo "{\"type\":\"rtmp_custom\",\"settings\":{\"server\":\"rtmp://127.0.0.1:$relay_port/live\",\"key\":\"$key\",\"use_auth\":false}}" \
  > "$config/basic/profiles/capture/service.json"
cat > "$config/basic/scenes/capture.json" <<'JSON'
{"name": "capture", "current_scene": "Scene", "current_program_scene": "Scene", "scene_order": [{"name": "Scene"}],
 "sources": [
  {"id": "scene", "versioned_id": "scene", "name": "Scene", "settings": {"id_counter": 1, "items": [
    {"name": "Colour", "id": 1, "visible": true, "pos": {"x": 0, "y": 0}, "scale": {"x": 1, "y": 1}, "align": 5}]}},
  {"id": "color_source_v3", "versioned_id": "color_source_v3", "name": "Colour",
   "settings": {"color": 4282417407, "width": 640, "height": 360}}]}
JSON

python3 "$here/relay.py" "$relay_port" "$port" "$out/obs" > "$out/relay.log" 2>&1 &
relay=$!
HOME=$home LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1280x720x24" \
  obs --startstreaming --minimize-to-tray --profile capture --collection capture > "$out/obs.log" 2>&1 &
runner=$!
for _ in $(seq 120); do grep -q connection "$out/relay.log" && break; sleep 0.5; done
sleep "$seconds"
python3 "$here/obs-ws.py" "$ws_port" StopStream
sleep 3
kill "$(pgrep -P "$runner" -x obs)" || true
wait "$runner" || true
kill "$relay"
rm -rf "$home"
obs --version
ls -l "$out"/obs-1-*.bin
