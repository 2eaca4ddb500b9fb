//! WeChat's limits on what is sent, each defined once: the clients check them before calling,
//! and the desktop hands them to its pages (`app_info`), so that no sentence, check or page
//! writes the number again.

/// A text message in UTF-8 bytes: the Official Account's customer-service messages
/// (developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html)
/// and WeCom's `kf/send_msg` (developer.work.weixin.qq.com/document/path/94677); WeCom's welcome
/// words too (document/path/95122).
pub const TEXT_BYTES: usize = 2048;
/// About how many Chinese characters [`TEXT_BYTES`] holds (3 bytes each in UTF-8), in tens: 680.
pub const TEXT_CHINESE_CHARS: usize = TEXT_BYTES / 3 / 10 * 10;

/// WeCom `msgmenu` (document/path/94677): at most 10 choices of 128 bytes, the lines above and
/// below the choices 1024 bytes each.
pub const MENU_ITEMS: usize = 10;
pub const MENU_ITEM_BYTES: usize = 128;
pub const MENU_LINE_BYTES: usize = 1024;

/// WeCom `link` messages (document/path/94677): title, description and address, in bytes.
pub const LINK_TITLE_BYTES: usize = 128;
pub const LINK_DESC_BYTES: usize = 512;
pub const LINK_URL_BYTES: usize = 2048;
