"""WeChat official account (公众号) channel; credentials.yml names `channels.wechat.WeChatInput`.

Modules: signature (request signatures), crypto (兼容/安全 mode AES), messages (safe XML parsing and
the MsgType/Event registry), replies (plain-text rendering, 2000-byte parts, 更多), dedupe (WeChat's
retries), api (WeChat's server API and its access token), customer_service (客服消息 API for late
answers), menu_file (menu.yml: menu, fixed replies, welcome), keywords (keyword rules), turns
(fixed replies recorded in the tracker store), menu (`make wechat-menu`: push and show the menu),
errors, channel (the InputChannel).
"""
from channels.wechat.channel import WeChatInput

__all__ = ["WeChatInput"]
