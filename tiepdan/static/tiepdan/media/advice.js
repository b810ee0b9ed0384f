/* What a person can do when the camera, the microphone or the connection fails: shared by the
 * hearing room and the readiness test.  Never the browser's error name ("NotFoundError" means
 * nothing to a citizen): every case has advice in plain words, in the page's language.
 */
import { gettext } from "./i18n.js";

const denied = () => gettext("Trình duyệt chưa được phép dùng camera và micro. Bấm vào biểu tượng ổ khóa hoặc camera cạnh địa chỉ trang, chọn “Cho phép”, rồi tải lại trang.");
const inUse = () => gettext("Camera hoặc micro đang được một ứng dụng khác dùng (Zalo, Zoom, một thẻ trình duyệt khác…). Hãy đóng ứng dụng đó rồi tải lại trang.");
const DEVICE = {
  NotAllowedError: denied,
  SecurityError: denied,
  NotFoundError: () => gettext("Không tìm thấy camera hoặc micro. Hãy cắm camera, micro (hoặc tai nghe có micro) vào máy rồi tải lại trang."),
  NotReadableError: inUse,
  AbortError: inUse,
  OverconstrainedError: () => gettext("Camera không hỗ trợ độ phân giải cần thiết. Hãy thử một camera khác."),
};

/** Advice for an error of getUserMedia, by its name. */
export function deviceAdvice(err) {
  const advice = Object.hasOwn(DEVICE, err && err.name) ? DEVICE[err.name] : null;
  return advice ? advice() : gettext("Không mở được camera hoặc micro. Hãy kiểm tra thiết bị, cho phép trình duyệt dùng camera và micro, rồi tải lại trang.");
}

/** The server could not be reached or the connection to it dropped. */
export function serverAdvice() {
  return gettext("Không kết nối được với máy chủ. Hãy kiểm tra mạng (Wi-Fi hoặc 4G) rồi bấm “Kiểm tra lại”; nếu vẫn không được, hãy báo cán bộ phụ trách điểm cầu.");
}

/** Sound and picture could not go to the media server and back (ICE, network). */
export function pathAdvice() {
  return gettext("Hình ảnh và âm thanh không đi được đến máy chủ truyền hình. Mạng hoặc tường lửa có thể đang chặn: hãy thử mạng khác (ví dụ 4G thay cho Wi-Fi cơ quan) hoặc báo cán bộ kỹ thuật.");
}

/** What the pages expose as ``window.tiepdanAdvice`` (the tests read it). */
export const advice = {
  device: deviceAdvice,
  get server() { return serverAdvice(); },
  get path() { return pathAdvice(); },
};
