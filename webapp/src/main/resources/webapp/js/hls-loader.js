// Loads the vendored hls.js (a UMD script that defines window.Hls) once, on first use: viewers on WebRTC never
// download its 600 KB.
let loading = null;

export function loadHls() {
  if (window.Hls) return Promise.resolve(window.Hls);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/static/vendor/hls.min.js';
      script.async = true;
      script.onload = () => (window.Hls ? resolve(window.Hls) : reject(new Error('hls.js did not load')));
      script.onerror = () => { loading = null; reject(new Error('Could not load the HLS player library.')); };
      document.head.append(script);
    });
  }
  return loading;
}

/** True when this browser can play HLS at all (Media Source for hls.js, or natively like Safari). */
export function nativeHls(video) {
  return video.canPlayType('application/vnd.apple.mpegurl') !== '';
}
