// Everything the scanner remembers, in one object. The queue, admitted codes, conflicts, counts and offline data
// are also kept per list in storage (see queue.js); the rest lives only as long as the page.

export function createState() {
  return {
    config: null, // { token, list }: the device token from the URL fragment, kept on the device
    offlineData: null, // the list's tickets and the public key that signs them
    ticketsByCode: null, // offlineData.tickets by ticket code, built on first use
    admitted: new Set(), // ticket codes admitted offline that the server does not know yet
    queue: [], // scans made offline, waiting to be synced
    conflicts: [], // what the server refused when the queue was synced
    lastAdmitted: null, // the person the undo button names
    counts: null,
    busy: false, // a scan is being answered: the camera waits
    pauseUntil: 0, // the camera waits while a result is fresh on screen
    lastCode: "",
    lastCodeAt: 0,
    syncing: false,
    backoff: 0, // the delay before the next sync attempt after a failure
    camera: { stream: null, lastFrame: 0 },
    timers: { result: null, sync: null },
    audio: null,
  };
}
