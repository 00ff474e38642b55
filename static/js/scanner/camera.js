// Reading QR codes with jsQR (loaded by the page as window.jsQR): from the camera, a frame every 120 ms, or
// from a photo when the camera is refused or cannot focus.
const FRAME_MS = 120;

function loadImage(file) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const image = new Image();
    image.onload = () => {
      URL.revokeObjectURL(url);
      resolve(image);
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("image"));
    };
    image.src = url;
  });
}

export function createCamera({ state, ui, t, scan }) {
  const { $ } = ui;

  function decodeFrom(source, width, height, maxSide, inversion) {
    const scale = Math.min(1, maxSide / Math.max(width, height));
    const canvas = $("sc-canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: inversion });
    return found && found.data ? found.data : null;
  }

  function frame() {
    const camera = state.camera;
    if (!camera.stream) {
      return;
    }
    const video = $("sc-video");
    const now = Date.now();
    if (!state.busy && now > state.pauseUntil && now - camera.lastFrame > FRAME_MS && video.readyState >= 2
        && video.videoWidth) {
      camera.lastFrame = now;
      const code = decodeFrom(video, video.videoWidth, video.videoHeight, 720, "dontInvert");
      if (code) {
        scan(code, { fromCamera: true });
      }
    }
    requestAnimationFrame(frame);
  }

  function refused() {
    ui.showResult({ kind: "refused", title: t("cameraDenied"), detail: t("cameraHelp") });
  }

  async function toggle() {
    const camera = state.camera;
    const button = $("sc-camera-toggle");
    if (camera.stream) {
      camera.stream.getTracks().forEach((track) => track.stop());
      camera.stream = null;
      $("sc-video").hidden = true;
      $("sc-camera-hint").hidden = false;
      button.textContent = t("cameraOn");
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      refused();
      return;
    }
    try {
      camera.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } },
        audio: false });
    } catch {
      refused();
      return;
    }
    const video = $("sc-video");
    video.srcObject = camera.stream;
    video.hidden = false;
    $("sc-camera-hint").hidden = true;
    button.textContent = t("cameraOff");
    try {
      await video.play();
    } catch {
      // Autoplay refused: frames still arrive once the user taps.
    }
    requestAnimationFrame(frame);
  }

  async function onPhoto(event) {
    const input = event.target;
    const file = input.files && input.files[0];
    if (!file) {
      return;
    }
    let code = null;
    try {
      const image = await loadImage(file);
      for (const side of [1024, 640, 1600]) {
        code = decodeFrom(image, image.naturalWidth, image.naturalHeight, side, "attemptBoth");
        if (code) {
          break;
        }
      }
    } catch {
      code = null;
    }
    input.value = "";
    if (!code) {
      ui.showResult({ kind: "refused", title: t("noQrInPhoto"), detail: t("tryAgain") });
      return;
    }
    await scan(code);
  }

  return { toggle, onPhoto };
}
