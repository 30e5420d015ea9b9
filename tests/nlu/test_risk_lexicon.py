"""The risk lexicon: a floor under the risk of a message, whatever its spelling."""
import time
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from nlu.risk_lexicon import RISK_LEVELS, RiskLexicon, RiskSignal, default_lexicon, max_risk
from nlu.text import default_teencode, normalise, strip_tone_marks

DATA = Path(__file__).resolve().parents[2] / "nlu" / "data"


@lru_cache(maxsize=None)
def normalised(text: str) -> str:
    """The message as the NLU components see it (cached: several tests read every training example)."""
    return normalise(text, default_teencode())


@lru_cache(maxsize=None)
def floor(text: str) -> tuple[str, str | None]:
    """What the NLU component sees: the lexicon's floor on the normalised message."""
    return default_lexicon().floor(normalised(text))


def at_least(level: str, minimum: str) -> bool:
    return RISK_LEVELS.index(level) >= RISK_LEVELS.index(minimum)


def examples(path: Path) -> dict[str, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        block["intent"]: [line.strip()[2:].strip() for line in block["examples"].splitlines() if line.strip()]
        for block in data["nlu"]
    }


DISCLOSURES = [
    # (message, category, lowest acceptable floor)
    ("chú hàng xóm sờ vào chỗ kín của em", "sexual_abuse", "high"),
    ("em bị ép quan hệ", "sexual_abuse", "high"),
    ("ổng bắt em gửi ảnh nóng", "online_exploitation", "high"),
    ("nó dọa tung ảnh của em", "online_exploitation", "high"),
    ("em muốn chết", "self_harm", "high"),
    ("em không muốn sống nữa", "self_harm", "high"),
    ("em rạch tay", "self_harm", "high"),
    ("tối nay em sẽ tự tử", "self_harm", "imminent"),
    ("cứu em", "immediate_danger", "imminent"),
    ("cứu với", "immediate_danger", "imminent"),
    ("bố đang cầm dao", "immediate_danger", "imminent"),
    ("em bị bố đánh bầm tím cả người", "physical_violence", "high"),
    ("tụi nó bắt nạt em suốt", "bullying", "medium"),
    ("mẹ bỏ đói em hai ngày rồi", "neglect", "medium"),
    ("bố chửi em là đồ vô dụng", "emotional_abuse", "medium"),
    # said through the means or the situation, not the keyword
    ("bố túm tóc em đập đầu vào cửa", "physical_violence", "high"),
    ("em uống thuốc diệt chuột rồi", "self_harm", "high"),
    ("em vừa uống hết nửa lọ thuốc ngủ", "self_harm", "imminent"),
    ("em gom đủ lọ thuốc rồi", "self_harm", "imminent"),
    ("dây thừng em giấu kỹ trong tủ rồi", "self_harm", "imminent"),
    ("ước gì em bị xe tông chết luôn", "self_harm", "high"),
    ("mẹ coi em như cái bóng trong nhà", "emotional_abuse", "medium"),
    ("tối nay dượng bảo sẽ xử em", "immediate_danger", "imminent"),
    ("người quen trên mạng hẹn em ra khách sạn", "online_exploitation", "high"),
    ("mẹ em nghiện cờ bạc, bán hết đồ trong nhà", "neglect", "medium"),
    ("bố bảo em không bằng con chó", "emotional_abuse", "medium"),
    ("một ông lạ bắt em cởi quần cho xem", "sexual_abuse", "high"),
    # an act just done, the means gathered, somewhere high now: imminent, not high
    ("em vừa nuốt cả nắm thuốc của bà", "self_harm", "imminent"),
    ("mình mới uống hết nửa chai nước tẩy", "self_harm", "imminent"),
    ("em lấy trộm thuốc ngủ của mẹ rồi, đêm nay em sẽ uống", "self_harm", "imminent"),
    ("em đang ngồi trên nóc nhà, tạm biệt mọi người", "self_harm", "imminent"),
    ("em bị khóa ngoài cửa từ chiều, lạnh lắm", "immediate_danger", "imminent"),
    ("em bị chú nhốt trong nhà vệ sinh", "immediate_danger", "high"),
    ("ông ấy rủ em lên nhà nghỉ chơi", "online_exploitation", "high"),
    ("tụi lớp trên dìm đầu em vào xô nước", "bullying", "medium"),
    ("em bị cả nhóm lôi ra nhà xe rồi đánh", "bullying", "medium"),
    ("mẹ kế xé nát sách vở của em", "emotional_abuse", "medium"),
    ("bố bắt em ngủ ngoài sân vì về muộn", "emotional_abuse", "medium"),
    ("dượng bỏ đói em mấy hôm nay", "neglect", "medium"),
    ("tớ uống thuốc an thần với bia rồi", "self_harm", "imminent"),
    ("em đã chọn chỗ rồi, em sẽ nhảy từ cầu vượt", "self_harm", "imminent"),
    ("đừng tìm con nữa, đêm nay con đi", "self_harm", "imminent"),
    ("bố đang cầm gậy đuổi đánh em", "immediate_danger", "imminent"),
    ("bà nội bảo phải chi hồi đó phá mày đi", "emotional_abuse", "medium"),
    ("mẹ kế không cho em ngồi chung mâm", "emotional_abuse", "medium"),
    ("em gãy tay mà bố bảo kệ em", "neglect", "medium"),
    ("mẹ say xỉn suốt, quên đón em ở nhà trẻ", "neglect", "medium"),
    ("nó chụp màn hình lúc mình đang tắm", "online_exploitation", "high"),
    ("hắn bắt em gửi thêm, không là đăng hết lên mạng", "online_exploitation", "high"),
    ("cả lớp không ai nói chuyện với em nữa", "bullying", "medium"),
    ("dượng hay đấm vô bụng em", "physical_violence", "high"),
    ("tạm biệt mọi người, mai mọi người không gặp em nữa đâu", "self_harm", "imminent"),
    ("em viết thư cho bố mẹ rồi, khi cả nhà ngủ em sẽ đi", "self_harm", "imminent"),
    ("em mua thuốc diệt chuột rồi, để trong cặp", "self_harm", "imminent"),
    ("lần này em vẫn tỉnh, lần sau em sẽ uống nhiều hơn", "self_harm", "imminent"),
    ("em đang bị giữ ở bãi đất sau trường, em nhắn lén thôi", "immediate_danger", "imminent"),
    ("ba xỉn xách cây mã tấu đập cửa phòng em", "immediate_danger", "imminent"),
    ("bố đập vỡ cây đàn em tự mua bằng tiền tiết kiệm", "emotional_abuse", "medium"),
    ("bố bảo lần sau còn tập nữa thì bố chặt tay", "emotional_abuse", "medium"),
    ("tụi nó bảo thằng nhà quê về quê đi", "bullying", "medium"),
    ("người lạ bảo em gửi ảnh thân thể để kiểm tra", "online_exploitation", "high"),
    # eighth round (triage_dev9, 2026-11-29, sixth session)
    ("dượng bóc cổ em ép vào tường", "physical_violence", "high"),
    ("ba đánh nó ngất luôn", "physical_violence", "high"),
    ("anh ấy đấm bạn ấy chảy máu mũi", "physical_violence", "high"),
    ("em đói lả, từ sáng đến giờ chưa ăn gì", "neglect", "medium"),
    ("em đang cầm bả chuột trong phòng", "self_harm", "imminent"),
    ("em chọn xong chỗ rồi, sân thượng trường, tối nay", "self_harm", "imminent"),
    ("em từng uống thuốc để tự tử, giờ lại muốn thế", "self_harm", "imminent"),
    ("em hay cứa tay đến khi chảy máu", "self_harm", "imminent"),
    ("hôm qua em rạch sâu hơn lần trước", "self_harm", "imminent"),
    ("em đứng trên ban công, chẳng muốn sống nữa", "self_harm", "imminent"),
    ("tụi nó lấy hình em ghép vào con khỉ rồi đăng lên mạng", "bullying", "medium"),
    ("tụi nó trêu em là đồ pê đê", "bullying", "medium"),
    ("ông ta đòi em gửi ảnh hở hang", "online_exploitation", "high"),
    ("hắn bắt em gửi ảnh cởi trần", "online_exploitation", "high"),
    ("chú ấy sắp về rồi, lần trước chú đánh em ngất", "immediate_danger", "imminent"),
    ("bố say sắp về rồi, em sợ lắm", "immediate_danger", "imminent"),
    ("có người lạ đứng trước cổng từ nãy, em ở một mình", "immediate_danger", "imminent"),
    ("ông ta bắt em lên xe rồi khóa cửa", "immediate_danger", "imminent"),
    ("em đang ở nhà nghỉ, anh ta không cho em về", "immediate_danger", "imminent"),
    # ninth round (triage_dev10, 2026-11-29, sixth session)
    ("chú chủ nhà gọi nó vào phòng rồi đóng cửa lại", "sexual_abuse", "high"),
    ("cô ấy tát mấy cái vào mặt con tôi", "physical_violence", "high"),
    ("anh em đá vô bụng em", "physical_violence", "high"),
    ("em rạch tay, máu ra nhiều quá", "self_harm", "imminent"),
    ("hồi trước em tự tử nhưng được cứu, giờ em lại nghĩ tới", "self_harm", "imminent"),
    ("em tự dí tàn thuốc vào tay để thấy đỡ buồn", "self_harm", "imminent"),
    ("hôm nay em cắt nhiều hơn mọi lần", "self_harm", "imminent"),
    ("em giấu lọ thuốc trong cặp, đợi bố mẹ ngủ là uống hết", "self_harm", "imminent"),
    ("ông ấy bảo về là đánh em tới chết, ông ấy sắp về rồi", "immediate_danger", "imminent"),
    ("mẹ hay quát tháo và đập đồ, em sợ lắm", "emotional_abuse", "medium"),
    ("em bị kéo quần trước lớp, cả lớp cười", "bullying", "medium"),
    ("mình đọc được tin nhắn của người lạ rủ con đi gặp riêng", "online_exploitation", "medium"),
    # tenth round (triage_dev11, 2026-11-29, sixth session)
    ("thầy chủ nhiệm hôn em trong lớp", "sexual_abuse", "high"),
    ("ông ấy hôn môi em", "sexual_abuse", "high"),
    ("ông từ gọi con vào phòng rồi cởi áo con", "sexual_abuse", "high"),
    ("cô đập vào lưng em một cái", "physical_violence", "medium"),
    ("mẹ bảo em không phải con của mẹ, cút đi", "emotional_abuse", "medium"),
    ("bà nói em là đồ sao chổi", "emotional_abuse", "medium"),
    ("bà cho cháu nhịn đói để tiết kiệm", "neglect", "medium"),
    ("em đói lắm, bố đi mấy hôm chưa về", "neglect", "medium"),
    ("nhà em toàn rác với chuột", "neglect", "medium"),
    ("tụi nó nhét kẹo cao su vào tóc em", "bullying", "medium"),
    ("em bị đạp ngã ở hành lang", "bullying", "medium"),
    ("anh ấy quen em trên roblox, dặn không nói với mẹ", "online_exploitation", "medium"),
    ("tụi nó lột quần em rồi quay clip", "online_exploitation", "high"),
    ("em đang ở trên cầu, nước sâu lắm", "self_harm", "imminent"),
    ("đây là tin nhắn cuối của em, em xin lỗi", "self_harm", "imminent"),
    ("em tìm cách chết không đau rồi, mai em đi mua", "self_harm", "imminent"),
    ("em đang cầm cả lọ thuốc trong tay", "self_harm", "imminent"),
    ("em quyết rồi, sân thượng trường không khóa", "self_harm", "imminent"),
    ("năm ngoái em treo cổ không thành, dây vẫn còn", "self_harm", "imminent"),
    ("nếu em biến mất thì sao", "self_harm", "high"),
    ("em lấy bật lửa đốt tay", "self_harm", "high"),
    ("ước gì xe tông em chết luôn", "self_harm", "high"),
    ("em đang bị tụi nó vây đánh, tụi nó có gậy", "immediate_danger", "imminent"),
    # eleventh round (triage_dev12, 2026-11-29, seventh session)
    ("bố tát mình mấy cái liền", "physical_violence", "high"),
    ("chú cầm dao rạch vào tay em", "physical_violence", "high"),
    ("lão ấy cởi quần bạn ấy ra trong kho", "sexual_abuse", "high"),
    ("đêm nào con bé cũng hét đừng sờ cháu", "sexual_abuse", "high"),
    ("ông bắt cháu ngồi vào lòng rồi xoa lưng", "sexual_abuse", "high"),
    ("anh gia sư ôm em từ phía sau, còn đóng cửa phòng", "sexual_abuse", "high"),
    ("cô giáo gọi bạn Mai vào phòng riêng rồi khóa cửa, ra thì bạn ấy khóc", "sexual_abuse", "high"),
    ("bạn em bảo dượng nó hay vào phòng lúc đêm khuya", "sexual_abuse", "medium"),
    ("em đói lắm, hai ngày chưa ăn gì", "neglect", "medium"),
    ("có đứa lập nick giả để nói xấu em", "bullying", "medium"),
    ("người đó đòi ảnh con tôi cởi trần", "online_exploitation", "high"),
    ("nó giữ ảnh của em, không ra gặp thì nó đăng lên nhóm lớp", "online_exploitation", "high"),
    ("em đang cầm hộp thuốc, uống xong là hết", "self_harm", "imminent"),
    ("em đang ngồi trên thành cửa sổ phòng em", "self_harm", "imminent"),
    ("em lên sân thượng xem rồi, chắc đủ cao", "self_harm", "imminent"),
    ("uống bao nhiêu viên thuốc ngủ thì không tỉnh lại", "self_harm", "imminent"),
    ("em lấy dao lam cứa đến khi chảy máu mới thấy dễ chịu", "self_harm", "imminent"),
    ("em đang bị mấy đứa chặn ở hẻm, tụi nó cầm gạch", "immediate_danger", "imminent"),
    # twelfth round (triage_dev13, 2026-11-29, seventh session)
    ("thầy dạy toán giữ em lại rồi hôn vào miệng em", "sexual_abuse", "high"),
    ("cháu kể bị chú hàng xóm bắt cởi quần", "sexual_abuse", "high"),
    ("ông ấy bắt cháu xem phim sex trên điện thoại", "sexual_abuse", "high"),
    ("lão cho kẹo rồi bắt ngồi vào lòng", "sexual_abuse", "high"),
    ("tụi nó đập em chảy máu mũi", "physical_violence", "high"),
    ("trên tay cháu có vết bỏng thuốc lá", "physical_violence", "high"),
    ("con tôi bị bạn đánh rách môi", "physical_violence", "high"),
    ("cô bảo mẫu dốc ngược bé lên rồi lắc", "physical_violence", "high"),
    ("chú hay cốc đầu em đau điếng", "physical_violence", "medium"),
    ("mẹ bảo thà nuôi con chó còn hơn", "emotional_abuse", "medium"),
    ("có người gửi link nhóm kín toàn ảnh trẻ con khỏa thân", "online_exploitation", "high"),
    ("con gái tôi hẹn gặp ở nhà nghỉ với một người quen qua mạng", "online_exploitation", "high"),
    ("em vừa đốt tay bằng bật lửa", "self_harm", "imminent"),
    ("em uống cả chai nước tẩy rồi", "self_harm", "imminent"),
    ("dây thừng em để sẵn trong tủ rồi", "self_harm", "imminent"),
    ("em đang đứng ở đường ray, tàu sắp tới rồi", "self_harm", "imminent"),
    ("em cầm con dao rồi, tối nay kết thúc hết", "self_harm", "imminent"),
    ("em gom đủ thuốc rồi, thi xong em uống", "self_harm", "imminent"),
    ("em đang bị mấy thằng vây ở sân sau, tụi nó cầm cả dao", "immediate_danger", "imminent"),
    # thirteenth round (triage_dev15, 2026-11-29, seventh session)
    ("dì nó tạt nước sôi vào lưng nó", "physical_violence", "high"),
    ("thằng bé bị trói vào cột cả đêm", "physical_violence", "high"),
    ("mẹ xé hết tranh em vẽ trước mặt cả nhà", "emotional_abuse", "medium"),
    ("cả nhóm bảo em đi chết đi", "bullying", "medium"),
    ("em đang ngồi trên cầu, nước dưới kia chảy xiết", "self_harm", "imminent"),
    ("em đang đứng ở lan can tầng 12", "self_harm", "imminent"),
    ("em mua dao lam rồi, tối mai em sẽ làm", "self_harm", "imminent"),
    ("em vừa uống 30 viên thuốc cảm", "self_harm", "imminent"),
    ("em sợ bạn ấy làm điều dại dột", "self_harm", "high"),
    ("bạn em có sẹo trên cổ tay, bạn ấy tự rạch tay", "self_harm", "high"),
    # fourteenth and fifteenth rounds (triage_dev14, triage_dev16, 2026-11-30, eighth session)
    ("anh họ dụ em vào phòng rồi đóng cửa lại", "sexual_abuse", "high"),
    ("chú ấy bắt cháu giữ bí mật, giờ cháu cứ thấy chú là sợ", "sexual_abuse", "high"),
    ("ông ta bắt tớ ngồi lên đùi", "sexual_abuse", "high"),
    ("mấy người lạ kéo chị ấy vào kho rồi cưỡng bức", "sexual_abuse", "high"),
    ("dượng úp mặt em vào chậu nước đến nghẹt thở", "physical_violence", "high"),
    ("bố coi như không có đứa con này nữa", "emotional_abuse", "medium"),
    ("bọn nó đăng ảnh em lên group lớp để chế", "bullying", "medium"),
    ("bạn trên mạng bảo em xóa hết tin nhắn và đừng nói với ai", "online_exploitation", "medium"),
    ("người lạ rủ em bật camera lúc thay đồ", "online_exploitation", "high"),
    ("em đang cầm vỉ thuốc, định uống hết", "self_harm", "imminent"),
    ("em mở cửa sổ tầng 9 rồi, đang ngồi trên bệ cửa", "self_harm", "imminent"),
    ("em bị khóa trong phòng 3 ngày rồi", "immediate_danger", "imminent"),
    # sixteenth round (triage_dev17, 2026-12-07, ninth session)
    ("chú bắt em chơi trò bí mật rồi cởi quần em", "sexual_abuse", "high"),
    ("bạn em bị bố dượng làm chuyện bậy", "sexual_abuse", "high"),
    ("ông hàng xóm cho cháu xem phim đồi trụy", "sexual_abuse", "high"),
    ("em thấy một người đàn ông lạ dắt bé gái vào nhà nghỉ", "sexual_abuse", "high"),
    ("cô bảo mẫu dúi đầu bé vào bát cháo", "physical_violence", "high"),
    ("mấy đứa cùng lớp giấu dép em", "bullying", "medium"),
    ("có người gửi ảnh bậy cho em qua zalo", "online_exploitation", "high"),
    ("em để sẵn dây dưới gầm giường, chờ bố mẹ ngủ", "self_harm", "imminent"),
    ("em rạch tay, máu vẫn chưa ngừng", "self_harm", "imminent"),
    ("mình gửi lời tạm biệt lên nhóm rồi, giờ lên sân thượng", "self_harm", "imminent"),
    ("bố dượng nhốt em trong bếp rồi mở ga", "immediate_danger", "imminent"),
    # seventeenth round (triage_dev18, 2026-12-07, tenth session)
    ("anh họ làm những chuyện làm em thấy kinh tởm", "sexual_abuse", "high"),
    ("bố nó hay vào phòng nó nửa đêm làm chuyện không hay", "sexual_abuse", "high"),
    ("ông bảo vệ dẫn một bé gái vào kho rồi khóa cửa", "sexual_abuse", "high"),
    ("mẹ ném cái ly trúng đầu em", "physical_violence", "high"),
    ("dượng đánh bằng thắt lưng", "physical_violence", "high"),
    ("thầy phạt đứng giữa trời nắng, bạn em bị ngất", "physical_violence", "high"),
    ("cô chủ nhiệm mỉa mai hoàn cảnh của em trước lớp", "emotional_abuse", "medium"),
    ("chân em gãy mà mẹ không đưa đi khám, để tự khỏi", "neglect", "medium"),
    ("người đó hẹn gặp em ở khách sạn", "online_exploitation", "high"),
    ("có người đòi em chụp ảnh mặc đồ lót", "online_exploitation", "high"),
    ("em nuốt nhiều viên rồi, giờ chóng mặt lắm", "self_harm", "imminent"),
    ("em kiếm được gói thuốc diệt chuột rồi", "self_harm", "imminent"),
    ("em buộc sẵn dây rồi, đêm nay", "self_harm", "imminent"),
    ("em đang ngồi trên cầu, em không muốn về nhà nữa", "self_harm", "imminent"),
    ("đêm nay em sẽ rạch tay, dao giấu dưới gối", "self_harm", "imminent"),
    ("lão ấy từng sờ mó em, tối nay lão sẽ qua lúc em ở nhà một mình", "immediate_danger", "imminent"),
    ("một ông lạ cứ kéo tay em đi, em không quen ông ấy", "immediate_danger", "imminent"),
    ("ở chợ có bà lạ nắm tay lôi đi, bảo là mẹ em", "immediate_danger", "imminent"),
    ("tụi nó đang chờ em ở cổng trường, bảo ra là đánh em", "immediate_danger", "imminent"),
    ("bố bảo thi trượt thì cút khỏi nhà", "emotional_abuse", "medium"),
    # eighteenth round (triage_dev19, 2026-12-07, eleventh session)
    ("cô dạy vẽ sờ vào chỗ kín của bạn em", "sexual_abuse", "high"),
    ("có ông lạ dắt một bé gái vào bụi rậm rồi tụt quần bé", "sexual_abuse", "high"),
    ("tuần nào em cũng bị bà ngoại đánh", "physical_violence", "high"),
    ("bố quất em, chân em toàn vết roi", "physical_violence", "high"),
    ("dượng xô em ngã vỡ đầu", "physical_violence", "high"),
    ("cổ bạn ấy có vết bầm, bảo là bị bố siết", "physical_violence", "high"),
    ("con tôi đi nhà trẻ về có vết cắn, cô trông trẻ bảo không biết", "physical_violence", "high"),
    ("em hay bị anh trai tát", "physical_violence", "medium"),
    ("thầy bắt cả lớp đứng nắng, bắt con đứng nắng cả tiết", "physical_violence", "medium"),
    ("mẹ cứ trút giận lên con mỗi khi thua bạc", "emotional_abuse", "medium"),
    ("mẹ kế chửi em là đồ ăn hại", "emotional_abuse", "medium"),
    ("bạn em kể tụi lớp trên cướp tiền rồi đánh ở nhà xe", "bullying", "medium"),
    ("có người lạ hay cho em thẻ cào, dặn em đừng kể với bố mẹ", "online_exploitation", "medium"),
    ("tạm biệt mọi người, dây em chuẩn bị rồi", "self_harm", "imminent"),
    ("em đang ngồi trên lan can, chắc cả nhà sẽ nhẹ nhõm hơn", "self_harm", "imminent"),
    # nineteenth round (triage_dev20, 2026-12-07, eleventh session)
    ("chú hàng xóm cho tiền rồi bắt em cởi quần", "sexual_abuse", "high"),
    ("anh rể cứ nửa đêm là lẻn vào phòng em", "sexual_abuse", "high"),
    ("bác say xỉn hay lôi vào phòng đứa em họ mới 6 tuổi", "sexual_abuse", "high"),
    ("con tôi vẽ hình người khỏa thân, bảo ông dạy", "sexual_abuse", "high"),
    ("ông xe ôm hay chở một bé gái vào nhà ông rồi đóng cửa", "sexual_abuse", "high"),
    ("xem camera thấy bảo mẫu đánh con tôi", "physical_violence", "high"),
    ("ông ta tát túi bụi thằng bé ngoài chợ", "physical_violence", "high"),
    ("đêm qua lại nghe tiếng roi vụt và đứa nhỏ khóc thét bên nhà hàng xóm", "physical_violence", "high"),
    ("mẹ cấu đùi em tím cả lên", "physical_violence", "medium"),
    ("người quen trong game đòi mở cam lúc em đi ngủ", "online_exploitation", "high"),
    ("em nuốt mấy viên thuốc của bà, giờ quay cuồng", "self_harm", "imminent"),
    ("em cắt tay cho đỡ buồn, thành thói quen rồi", "self_harm", "imminent"),
    ("tối nay em sẽ nhảy từ tầng 9", "self_harm", "imminent"),
    ("em bị lạc đường trong công viên, trời tối rồi", "immediate_danger", "imminent"),
    ("họ nhốt mình ở đâu đó, mình không biết đây là đâu", "immediate_danger", "imminent"),
    ("hắn đang lên lầu, cứu em", "immediate_danger", "imminent"),
    ("bạn thân em nhắn bảo đang ngồi trên lan can, em phải làm sao", "self_harm", "imminent"),
    # twentieth round (triage_dev21, 2026-12-07, eleventh session)
    ("bố dượng làm chuyện xấu với em từ năm lớp 5", "sexual_abuse", "high"),
    ("anh kế làm chuyện ấy rồi dọa nếu kể thì giết", "sexual_abuse", "high"),
    ("ông chủ tiệm kéo bé gái nhà bên vào trong nhà rồi khóa cửa", "sexual_abuse", "high"),
    ("bố bắt em quỳ ngoài hiên suốt đêm", "physical_violence", "high"),
    ("ba đánh anh em bằng gậy mỗi khi say", "physical_violence", "high"),
    ("bạn ấy bị đánh xong còn bị quay clip", "physical_violence", "high"),
    ("ông nội nói mẹ em chết là tại em", "emotional_abuse", "medium"),
    ("cô chủ nhiệm dặn trước cả lớp đừng chơi với em", "emotional_abuse", "medium"),
    ("nó quay lén lúc mình đang ăn rồi edit thành meme", "bullying", "medium"),
    ("nó đồn với cả lớp là em có bệnh lây", "bullying", "medium"),
    ("nó giữ clip em tắm, không thì up lên mạng", "online_exploitation", "high"),
    ("em uống cả vỉ thuốc rồi, chóng mặt quá", "self_harm", "imminent"),
    ("con bị lạc ở chợ, có người cứ lôi em đi", "immediate_danger", "imminent"),
    # twenty-first round (triage_dev22, 2026-12-07, twelfth session)
    ("em đang đứng trên cầu, nước bên dưới đen ngòm", "self_harm", "imminent"),
    ("em gom đủ thuốc giảm đau rồi, mai em sẽ uống hết", "self_harm", "imminent"),
    ("chú hàng xóm bật cho cháu xem clip người lớn", "sexual_abuse", "high"),
    ("con tôi bị anh họ lôi vào kho rồi làm chuyện đó", "sexual_abuse", "high"),
    ("ông huấn luyện viên bắt cởi đồ trong phòng riêng", "sexual_abuse", "high"),
    ("em thấy chú bảo vệ ôm hôn bạn nhỏ, bạn ấy sợ quá", "sexual_abuse", "high"),
    ("thầy giáo bắt em đọc bài rồi bảo cả lớp nghe xem đứa ngu viết gì", "emotional_abuse", "medium"),
    ("anh đó nhắn hẹn tối thứ bảy vào khách sạn gặp riêng", "online_exploitation", "high"),
    ("mẹ kế xô ngã em ở cầu thang, giờ chân không cử động được", "physical_violence", "high"),
    # twenty-second round (triage_dev23, 2026-12-07, twelfth session)
    ("một gã đưa bé gái vào nhà nghỉ, con bé trông sợ lắm", "sexual_abuse", "high"),
    ("đêm nào dượng say cũng sang, con bé hét đừng sờ con", "sexual_abuse", "high"),
    ("thầy dạy thêm bắt cháu ngồi riêng rồi hôn vào má", "sexual_abuse", "high"),
    ("hôm trước cô chủ nhiệm gọi riêng bạn Mai vào phòng thiết bị, đóng cửa cả tiếng", "sexual_abuse", "high"),
    ("bố dượng đấm vào mặt em, mũi chảy máu mãi", "physical_violence", "high"),
    ("chồng tôi say là đập bé, tôi phải làm sao", "physical_violence", "high"),
    ("chị giúp việc trói tay bé vào giường cho khỏi chạy", "physical_violence", "high"),
    ("bà cho cháu uống thuốc ngủ để cháu ngủ cho ngoan", "physical_violence", "high"),
    ("camera ở nhà trẻ bị tắt, con tôi về có vết bầm ở lưng", "physical_violence", "high"),
    ("em lên cơn hen suốt mà bố không mua thuốc xịt, tối khó thở lắm", "neglect", "high"),
    ("chân em sưng tấy mà mẹ bảo tự khỏi", "neglect", "medium"),
    ("mấy anh lớp trên chặt tóc em giữa sân", "bullying", "medium"),
    ("bạn em bị một người trên mạng dụ gặp mặt ở quán nước", "online_exploitation", "high"),
    ("con gái tôi bỏ đi theo người quen trên game từ sáng", "online_exploitation", "high"),
    ("ảnh em tắm bị chụp lén rồi gửi vào nhóm kín", "online_exploitation", "high"),
    ("em ở tầng 9, mở cửa sổ rồi, đừng ai cản em nữa", "self_harm", "imminent"),
    ("em rạch tay sâu quá, máu không cầm được", "self_harm", "imminent"),
    ("em đang bị tụi nó rượt, em trốn vào nhà vệ sinh công cộng rồi", "immediate_danger", "imminent"),
    ("em trai em vừa bị một người lạ bế đi ở chợ", "immediate_danger", "imminent"),
    ("mẹ bảo sinh em ra là sai lầm lớn nhất", "emotional_abuse", "high"),
    # the twenty-third round (from triage_dev24)
    ("chú hàng xóm cho tiền rồi bắt bé nằm xuống giường", "sexual_abuse", "high"),
    ("con gái tôi không cho ai chạm vào người nữa, nó nói chú hàng xóm", "sexual_abuse", "high"),
    ("thằng bé bị anh họ ép làm những việc không phù hợp trong phòng kín", "sexual_abuse", "high"),
    ("anh họ bạn em mở phim sex rồi bắt nó làm theo", "sexual_abuse", "high"),
    ("bạn em 15 tuổi bị ép gả cho một ông ở làng bên, bạn khóc suốt", "sexual_abuse", "high"),
    ("dượng đẩy mạnh vào tường, đầu em bị u một cục", "physical_violence", "high"),
    ("cô bảo mẫu trói vào ghế cả buổi trưa", "physical_violence", "high"),
    ("thằng bé nhà bên bị chú nó treo lên cây rồi đánh", "physical_violence", "high"),
    ("bà lấy kim đâm vào tay cháu để phạt", "physical_violence", "high"),
    ("mẹ em bị bố đánh vào đầu, máu chảy nhiều lắm", "physical_violence", "imminent"),
    ("bố em bảo nếu em còn đi chơi thì bố giết em, bố không đùa", "emotional_abuse", "high"),
    ("bố em đi với người khác rồi, nhà không còn gì ăn", "neglect", "high"),
    ("mẹ phê thuốc nằm im, em bé không ai cho ăn", "neglect", "high"),
    ("em ốm mấy hôm rồi mà không có tiền mua thuốc", "neglect", "high"),
    ("mấy thằng lớp trên dọa sẽ cho em biết tay", "bullying", "medium"),
    ("tụi nó bắt em sủa như chó trước cả lớp", "bullying", "high"),
    ("em bị vây lại đấm rồi quay video đăng lên nhóm lớp", "bullying", "high"),
    ("mấy đứa giật quần em trước lớp", "bullying", "high"),
    ("anh lớp 9 bắt em nộp 20 nghìn mỗi ngày, không thì ăn đòn", "bullying", "high"),
    ("người quen qua game hẹn em ra quán net để đưa tiền", "online_exploitation", "high"),
    ("anh quen trên mạng bảo sẽ lo tiền xe cho em vào Sài Gòn", "online_exploitation", "high"),
    ("có người nói chuyện 18+ với em rồi bảo em xóa tin nhắn", "online_exploitation", "high"),
    ("một acc lạ bắt em bật cam quay phòng ngủ", "online_exploitation", "high"),
    ("người lạ trên game dọa không gửi ảnh thì sẽ tới nhà em", "online_exploitation", "high"),
    ("thuốc chuột em để trong túi em rồi", "self_harm", "imminent"),
    ("em đang ở trên sân thượng, em sắp nhảy", "self_harm", "imminent"),
    ("em cầm dao lam, em muốn rạch tay", "self_harm", "imminent"),
    ("em đã cào tay đến rớm máu", "self_harm", "high"),
    ("có một ông đang lôi một bé lên xe, bé kêu cứu", "immediate_danger", "imminent"),
    # the twenty-fourth round (from triage_dev25)
    ("quản giáo đánh bọn em bằng ống tuýp", "physical_violence", "high"),
    ("con tôi bị một người qua mạng dụ bỏ nhà", "online_exploitation", "high"),
    ("em đang đứng trên mép tầng thượng trường", "self_harm", "imminent"),
    ("chú bạn bố em làm chuyện đó với em lúc nhà không có ai", "sexual_abuse", "high"),
    ("em 16 tuổi, bị ông chủ quán ép ngủ cùng", "sexual_abuse", "high"),
    ("bé gái nhà bên bị ông chủ tiệm lôi vào kho", "sexual_abuse", "high"),
    ("con gái tôi 14 tuổi có thai, bạn trai hơn 20 tuổi", "sexual_abuse", "high"),
    ("họ nhốt đứa bé vào chuồng chó cả ngày", "physical_violence", "high"),
    ("cô thấy những vết bỏng như đầu thuốc lá trên lưng bé", "physical_violence", "high"),
    ("người yêu em gọi em là đồ rẻ tiền trước mặt bạn bè", "emotional_abuse", "medium"),
    ("bạn trai kiểm soát điện thoại, em không nghe thì anh ấy dọa bỏ", "emotional_abuse", "medium"),
    ("thầy dạy đàn bảo học chỉ phí tiền bố mẹ, em khóc cả buổi", "emotional_abuse", "medium"),
    ("em chỉ có một cái áo mỏng, tối cũng không có chăn đắp", "neglect", "medium"),
    ("tụi nó để kẹo cao su lên ghế em rồi chụp hình cười", "bullying", "medium"),
    ("em viết thư cho bố mẹ rồi, tối nay em sẽ ra cầu", "self_harm", "imminent"),
    ("mấy người lạ bắt em lên xe, em không biết đi đâu", "immediate_danger", "imminent"),
    # the twenty-fifth round (from triage_dev26)
    ("đêm ngủ nhờ nhà bạn, bố bạn vào sờ người em, em giả vờ ngủ", "sexual_abuse", "high"),
    ("em bị anh họ làm chuyện ấy từ năm lớp 5", "sexual_abuse", "high"),
    ("cô bé hàng xóm mới 14 tuổi đã mang thai, nghe đâu do ông chủ vựa", "sexual_abuse", "high"),
    ("từ hôm ở nhà thầy về, con không cho ai chạm vào người, lại tè dầm lại", "sexual_abuse", "high"),
    ("thầy dạy thêm đụng tay vào ngực bạn em", "sexual_abuse", "high"),
    ("bé lớp 3 có những vết bỏng tròn trên lưng", "physical_violence", "high"),
    ("tụi lớp trên đánh một bạn trong nhà xe, bạn ấy chảy máu đầu", "physical_violence", "high"),
    ("mẹ kế dọa nếu em mách bố thì sẽ giết con chó của em", "emotional_abuse", "medium"),
    ("huấn luyện viên chửi em ngu như bò trước cả đội", "emotional_abuse", "medium"),
    ("người lạ trên game hứa tặng skin nếu em cho số điện thoại", "online_exploitation", "medium"),
    ("có người nhắn hỏi bố mẹ có nhà không rồi dặn đừng kể với ai", "online_exploitation", "medium"),
    ("ước gì em không tồn tại trên đời này", "self_harm", "high"),
    ("em chẳng muốn tồn tại nữa", "self_harm", "high"),
    ("em vừa nuốt cả đống thuốc trong tủ", "self_harm", "imminent"),
    ("em đang trèo lên mái của nhà văn hóa, em không muốn sống", "self_harm", "imminent"),
    ("trượt lần này là em nhảy xuống sông, em chọn chỗ rồi", "self_harm", "imminent"),
    ("hôm nay em sẽ rạch sâu hơn, dao để dưới gối rồi", "self_harm", "imminent"),
    # the twenty-sixth round (from triage_dev27)
    ("anh phụ trách đội hay kêu em ở lại rồi hôn em, bảo không được kể", "sexual_abuse", "high"),
    ("chiều nay em ăn một bạt tai của bác", "physical_violence", "medium"),
    ("chú bảo vệ đạp em mấy cái, lưng em vẫn đau", "physical_violence", "high"),
    ("cô giữ trẻ cho bé uống thuốc ho để ngủ li bì", "physical_violence", "high"),
    ("mẹ kế bắt em tự nhận mình ngu trước mặt khách", "emotional_abuse", "medium"),
    ("mình bị thêm vào nhóm lạ hoắc rồi bị bêu riếu cả tối", "bullying", "medium"),
    ("chú ấy bảo em tới khách sạn để gặp, không được kể cho ai", "online_exploitation", "high"),
    ("em bị lừa gọi video rồi clip bị phát tán", "online_exploitation", "high"),
    ("một ông lạ trên zalo dặn em xóa tin nhắn sau khi đọc", "online_exploitation", "medium"),
    ("em cầm dao lam rồi, chỉ một nhát thôi", "self_harm", "imminent"),
    ("tay đầy vết rồi mà em vừa rạch thêm", "self_harm", "imminent"),
    ("em vừa nuốt nhiều viên thuốc, không nhớ bao nhiêu viên", "self_harm", "imminent"),
    # the twenty-seventh round (from triage_dev28)
    ("bố nuôi bắt con tắm chung rồi sờ mó", "sexual_abuse", "high"),
    ("gã bảo vệ hay gọi mấy bé vào phòng kín rồi khóa cửa", "sexual_abuse", "high"),
    ("chồng sau của chị ấy xông vào nhà tắm lúc bé đang tắm", "sexual_abuse", "high"),
    ("thầy chủ nhiệm ôm hôn bạn ấy trong phòng riêng, bạn ấy sợ hãi", "sexual_abuse", "high"),
    ("ông hàng xóm tối nào cũng đánh thằng bé, giờ nó phải bó bột", "physical_violence", "high"),
    ("nhà mình đầy rác, bố mẹ chẳng bao giờ dọn", "neglect", "medium"),
    ("chú ấy đòi thuê phòng nhà nghỉ để gặp riêng, em mới 14 tuổi", "online_exploitation", "high"),
    ("tôi thấy con gái hẹn đến khách sạn với một người đàn ông", "online_exploitation", "high"),
    ("em uống cả lọ thuốc ngủ rồi", "self_harm", "imminent"),
    ("em chuẩn bị dây rồi, đợi cả nhà ngủ", "self_harm", "imminent"),
    ("em vừa tự đập đầu, rách cả trán", "self_harm", "imminent"),
    ("anh em cầm búa đòi giết mẹ", "immediate_danger", "imminent"),
    # the twenty-eighth round (from triage_dev29)
    ("tôi thấy một gã rủ con bé đi nhà nghỉ tối thứ bảy", "sexual_abuse", "high"),
    ("chú hàng xóm gọi cháu sang xem tivi rồi khóa cửa, về nhà quần lót cháu dính máu", "sexual_abuse", "high"),
    ("huấn luyện viên bắt em thay đồ trước mặt rồi quay video", "sexual_abuse", "high"),
    ("em bị cô chủ nhiệm xoắn tai đến đỏ cả lên", "physical_violence", "medium"),
    ("bé nhà bên hay bị bố nó đánh, giờ bó bột cả tay", "physical_violence", "high"),
    ("em trai em 13 tuổi đi làm thuê, bị chủ bắt làm từ sáng đến khuya", "neglect", "medium"),
    ("tụi nó bắt mình đi mua thuốc lá, không thì ăn đòn", "bullying", "medium"),
    ("em đấm vào tường chảy máu rồi, vừa làm xong lại muốn làm tiếp", "self_harm", "imminent"),
    ("bố em đổ xăng khắp phòng và đòi đốt cả nhà", "immediate_danger", "imminent"),
    ("em gái em ngã xuống ao, cứu với", "immediate_danger", "imminent"),
    # the twenty-ninth round (from triage_dev30)
    ("thầy dạy thêm hay sờ eo em, em không thích", "sexual_abuse", "high"),
    ("huấn luyện viên hay ôm hôn tụi em, tụi em sợ", "sexual_abuse", "high"),
    ("anh kia rủ bạn mình vào nhà nghỉ, bạn mình mới lớp 7", "sexual_abuse", "high"),
    ("cô gọi riêng bạn ấy vào kho rồi khóa cửa, bạn ấy ra thì sợ", "sexual_abuse", "high"),
    ("ông kia ném gạch trúng đầu em chảy máu rồi", "physical_violence", "high"),
    ("giám thị phạt đứng nắng đến ngất", "physical_violence", "high"),
    ("lần nào con về nhà bố nó cũng bị thương, lần này vỡ đầu", "physical_violence", "high"),
    ("ở lò gạch có đứa trẻ 13 tuổi bốc vác suốt", "neglect", "medium"),
    ("nhóm trưởng bảo cả lớp block em", "bullying", "medium"),
    ("em nghĩ mình chết đi cho rồi", "self_harm", "high"),
    ("em mua được dây rồi, cả nhà ngủ là mình sẽ làm", "self_harm", "imminent"),
    ("chủ quán giữ căn cước, không cho em về, tối nay bắt ngủ với khách", "immediate_danger", "imminent"),
    ("bà uống nhiều thuốc, lay không dậy, em phải làm sao", "immediate_danger", "imminent"),
    ("mấy thằng chặn mình, cầm dao", "immediate_danger", "imminent"),
    ("có người kéo tay một bạn nhỏ, bạn ấy hét không phải mẹ", "immediate_danger", "imminent"),
    ("họ nói đưa sang Trung Quốc làm, em đang trên xe", "immediate_danger", "imminent"),
    # the thirtieth round (from triage_dev31)
    ("anh khóa trên chuốc em say rồi đưa vào nhà nghỉ", "sexual_abuse", "high"),
    ("chủ tiệm hay ôm eo cháu, còn rủ đi nhà nghỉ", "sexual_abuse", "high"),
    ("bạn ấy bị bảo vệ bắt ngủ chung", "sexual_abuse", "high"),
    ("tôi thấy một gã đưa cô bé vào nhà nghỉ", "sexual_abuse", "high"),
    ("bạn ấy hay bị thầy gọi lên phòng riêng, lần nào cũng khóc mà không dám nói", "sexual_abuse", "high"),
    ("chú bảo vệ bắt các em cởi hết quần áo rồi chụp ảnh", "sexual_abuse", "high"),
    ("mấy anh lớp trên lột quần áo một bạn trong nhà vệ sinh rồi quay clip", "online_exploitation", "high"),
    ("huấn luyện viên ném bóng vào mặt em mỗi lần sai", "physical_violence", "medium"),
    ("trẻ em tầm 13 tuổi ở công trường phải bê gạch", "neglect", "medium"),
    ("có một người trên mạng bảo sẽ đến đón, dặn em đừng nói với ai", "online_exploitation", "medium"),
    ("tụi nó đăng ảnh em đang tắm lên nhóm", "online_exploitation", "high"),
    ("nhiều khi em ước bị xe đâm", "self_harm", "high"),
    ("em đang đứng trên nóc tòa nhà, không thiết sống nữa", "self_harm", "imminent"),
    ("dây thừng buộc lên xà rồi, em chỉ chờ mọi người đi vắng", "self_harm", "imminent"),
    ("mình bỏ ăn cả tuần để chết", "self_harm", "imminent"),
    ("em vừa rạch cổ tay, máu chảy mãi", "self_harm", "imminent"),
    # the thirty-first round (from triage_dev32)
    ("em họ bị chú động vào người rồi bắt hứa không kể", "sexual_abuse", "high"),
    ("dượng nó cứ vào nhà tắm khi nó đang tắm", "sexual_abuse", "high"),
    ("tôi nghi con tôi bị chú hàng xóm sàm sỡ", "sexual_abuse", "high"),
    ("bé nhà tôi không dám ở với ông ngoại, dạo này hay tè dầm", "sexual_abuse", "high"),
    ("ông bảo vệ hay dắt cháu vào nhà kho", "sexual_abuse", "high"),
    ("thầy chủ nhiệm cầm thước khẻ tay em đỏ hết", "physical_violence", "medium"),
    ("bé bên nhà bị mẹ kế tát liên tục, bé mới 3 tuổi", "physical_violence", "high"),
    ("em sợ về nhà vì mẹ đánh", "physical_violence", "high"),
    ("mẹ bắt con quỳ ở góc nhà, không ai được nói chuyện với con", "emotional_abuse", "medium"),
    ("bố mẹ không đóng tiền học, em bị đuổi học", "neglect", "medium"),
    ("em bị tụi lớp trên trấn tiền mỗi sáng", "bullying", "medium"),
    ("cả lớp ghét mình, còn tẩy chay mình", "bullying", "medium"),
    ("tôi sợ con bị ai đó dụ dỗ qua mạng, nó hay nhắn tin nửa đêm", "online_exploitation", "medium"),
    ("có người trên telegram muốn gặp em, bảo giấu bố mẹ", "online_exploitation", "medium"),
    ("có người xin em ảnh mặc đồ lót, bảo sẽ trả tiền", "online_exploitation", "high"),
    ("con tự giật tóc rồi cào xước tay", "self_harm", "high"),
    ("em lấy thuốc ngủ của bà nuốt hết rồi, giờ lơ mơ", "self_harm", "imminent"),
    ("em rạch đùi bằng dao lam, không dừng được", "self_harm", "imminent"),
    # the thirty-second round (from triage_dev33)
    ("huynh trưởng chui vào lều lúc nửa đêm, con bé sợ lắm", "sexual_abuse", "high"),
    ("chú hàng xóm dụ bé rồi dắt vào phòng, khóa cửa", "sexual_abuse", "high"),
    ("ông ấy bắt em ngồi sát rồi thò tay vào áo", "sexual_abuse", "high"),
    ("bố say khướt kéo em vào phòng, em không dám ở nhà", "sexual_abuse", "high"),
    ("bạn trai của mẹ đêm nào cũng vào phòng em, bắt em thề không kể", "sexual_abuse", "high"),
    ("mẹ túm tóc con giật mạnh", "physical_violence", "medium"),
    ("mặt nó bầm tím vì bị bố đánh, nó sợ về nhà", "physical_violence", "high"),
    ("mẹ dọa không nhận em nữa", "emotional_abuse", "medium"),
    ("thầy bêu tên em lên loa trước toàn trường", "emotional_abuse", "medium"),
    ("ông nội chửi em là đồ vô tích sự", "emotional_abuse", "medium"),
    ("thầy chủ nhiệm cấm cả lớp chơi với mình", "emotional_abuse", "medium"),
    ("em bị tụi nó lấy compa chọc vào tay", "bullying", "medium"),
    ("có người quay lén trong nhà tắm của bể bơi", "online_exploitation", "high"),
    ("nhiều lúc mình muốn lao vào xe", "self_harm", "high"),
    ("em ngồi trên cầu mấy tối rồi, em định nhảy", "self_harm", "imminent"),
    ("em đang ngồi trên bậu cửa sổ", "self_harm", "imminent"),
    ("mình ở trên sân thượng rồi, sắp nhảy", "self_harm", "imminent"),
    ("có người trong ô tô kéo một bé gái, bé khóc", "immediate_danger", "high"),
    # the thirty-third round (from triage_dev34; southern and central speech)
    ("ổng rờ vô người con", "sexual_abuse", "high"),
    ("chú kia mò vào phòng em, sáng dậy quần em bị kéo xuống", "sexual_abuse", "high"),
    ("thầy hay gọi riêng bạn ấy vào kho, ra là bạn ấy khóc", "sexual_abuse", "high"),
    ("bé nhà tôi tự nhiên sợ đàn ông lạ, không chịu nói, tôi sợ bé bị ai sờ", "sexual_abuse", "high"),
    ("con tôi bị mấy đứa lớn chuốc say, về thì áo rách", "sexual_abuse", "high"),
    ("cô giáo lấy băng keo dán miệng cháu", "physical_violence", "high"),
    ("má quất vô mặt tui bằng dây nịt, chảy máu", "physical_violence", "high"),
    ("bà chủ quán đánh thằng bé làm thuê, còn không trả lương", "physical_violence", "high"),
    ("tụi nó quay video đánh bạn ấy đến ngất", "physical_violence", "high"),
    ("dượng xô em ngã, em đập đầu", "physical_violence", "high"),
    ("ba say về đánh tui gãy răng", "physical_violence", "high"),
    ("bé bị mẹ nó đánh, bầm tím khắp người", "physical_violence", "high"),
    ("em bị ai đó nhắn tin chửi đêm nào cũng vậy", "bullying", "medium"),
    ("nó đem chuyện của em đi kể khắp lớp", "bullying", "medium"),
    ("bạn em sắp đi gặp một ông quen trên facebook, đi một mình", "online_exploitation", "high"),
    ("thằng đó quay lén dưới váy con bé", "online_exploitation", "high"),
    ("con giấu sẵn sợi dây rồi, thi xong con sẽ ra đi", "self_harm", "imminent"),
    ("ba đang rượt, em trốn trong nhà tắm", "immediate_danger", "imminent"),
    ("tụi nó lấy hết giấy tờ, giờ em ở trung quốc, muốn về nhà", "immediate_danger", "imminent"),
    # the thirty-fourth round (from triage_dev35)
    ("ông bảo vệ cho cháu xem phim đồi trụy", "sexual_abuse", "high"),
    ("thầy hay gọi riêng bạn ấy vào phòng dụng cụ rồi khóa cửa", "sexual_abuse", "high"),
    ("huấn luyện viên ôm hôn con trong phòng thay đồ", "sexual_abuse", "high"),
    ("anh trai nó làm chuyện bậy với nó", "sexual_abuse", "high"),
    ("huynh trưởng bắt em tắm chung", "sexual_abuse", "high"),
    ("ô sin nhốt bé vào phòng tối", "physical_violence", "high"),
    ("mẹ kế ném bát vào đầu em, chảy máu", "physical_violence", "high"),
    ("bạn em đầy vết roi, nó nói bố đánh, nó sợ về nhà", "physical_violence", "high"),
    ("mẹ bảo biết thế giết từ lúc mới sinh", "emotional_abuse", "medium"),
    ("bố em đi nhậu suốt, em phải tự nấu cho em", "neglect", "medium"),
    ("tụi nó gọi em là đồ đồng tính", "bullying", "medium"),
    ("một chú nạp card cho em, dặn đừng kể", "online_exploitation", "medium"),
    ("chú ấy nhắn yêu em, rủ đi riêng", "online_exploitation", "high"),
    ("cả khối truyền tay ảnh khỏa thân của một bạn", "online_exploitation", "high"),
    ("mình bị lừa gửi hình, giờ nó bắt chuyển tiền", "online_exploitation", "high"),
    ("gã đó gọi cháu là vợ, đòi gặp", "online_exploitation", "high"),
    ("em cất sẵn dao rồi, tan học xong", "self_harm", "imminent"),
    ("ông ta lôi em vào rừng, giờ đang đuổi theo", "immediate_danger", "imminent"),
    ("hắn sắp đến, em ở nhà một mình, không gọi được ai", "immediate_danger", "imminent"),
    # the thirty-fifth round (from triage_dev36)
    ("anh họ bắt em làm những chuyện người lớn", "sexual_abuse", "high"),
    ("dượng lại sờ, em giả vờ ngủ mà dượng vẫn tiếp tục", "sexual_abuse", "high"),
    ("con đi cắm trại về có vết bầm, không chịu tắm, tôi nghĩ có chuyện", "sexual_abuse", "high"),
    ("em bị má đập, bầm hết mặt", "physical_violence", "high"),
    ("nó sợ về nhà vì bố nó dọa chém", "physical_violence", "high"),
    ("mẹ bảo mày chết đi cho nhà đỡ khổ", "emotional_abuse", "medium"),
    ("bố mẹ không đóng học phí, bắt em ở nhà trông em bé", "neglect", "medium"),
    ("em không có sách vở, bố mẹ không mua", "neglect", "medium"),
    ("nhóm lớp bình chọn đứa ngu nhất lớp, em đứng top, nhục lắm", "bullying", "medium"),
    ("tụi nó nói xấu sau lưng mình, mình bị vậy cả năm rồi", "bullying", "medium"),
    ("đón con về thấy mắt bầm, cháu bảo bị bạn đấm trong giờ ra chơi", "bullying", "medium"),
    ("mấy đứa con trai chụp ảnh bạn nữ trong toilet", "online_exploitation", "high"),
    ("em để lời tạm biệt rồi, tối nay em đi", "self_harm", "imminent"),
    ("mình để sẵn than trong phòng, đóng kín cửa rồi, vĩnh biệt", "self_harm", "imminent"),
    ("em đứng trên sân thượng, đây là lời cuối", "self_harm", "imminent"),
    ("em bị khóa trong ô tô, khó thở lắm", "immediate_danger", "imminent"),
    ("nhà đang cháy, em không ra được", "immediate_danger", "imminent"),
    ("tối nay tụi nó đi chém nhau bằng mã tấu, bắt em đi theo", "immediate_danger", "imminent"),
    ("giúp em với, ngõ 7, hắn quay lại rồi", "immediate_danger", "imminent"),
    ("họ thu hết điện thoại, em không biết đây là đâu", "immediate_danger", "imminent"),
    ("nước ngập tới cổ, cả nhà leo lên mái", "immediate_danger", "imminent"),
    ("họ nói sắp đưa sang trung quốc", "immediate_danger", "imminent"),
    # the thirty-sixth round (from triage_dev37; young children who call themselves "con")
    ("ông sờ chim con", "sexual_abuse", "high"),
    ("anh ấy dụ em chơi trò vợ chồng", "sexual_abuse", "high"),
    ("bé không chịu ở riêng với chú hàng xóm, tè dầm lại", "sexual_abuse", "high"),
    ("bà hay cốc đầu con, con khóc", "physical_violence", "medium"),
    ("anh cứ lôi em ra đấm, ngày nào cũng thế", "physical_violence", "high"),
    ("con phải khâu mấy mũi, mẹ bảo bác sĩ là con tự ngã", "physical_violence", "high"),
    ("mẹ túm đầu con vào tường", "physical_violence", "high"),
    ("bố bảo con là đồ thất bại", "emotional_abuse", "medium"),
    ("mẹ dọa mang con cho người ta nuôi", "emotional_abuse", "medium"),
    ("bố mẹ bỏ con ở nhà một mình cả đêm", "neglect", "medium"),
    ("không biết bố mẹ đi đâu, con không có gì ăn", "neglect", "medium"),
    ("chưa ai cho con ăn, con đói bụng quá", "neglect", "medium"),
    ("nó bảo mách là chết", "bullying", "medium"),
    ("bị gọi là con đen suốt", "bullying", "medium"),
    ("tụi nó bắt em quỳ rồi quay video", "bullying", "medium"),
    ("con bị các bạn trêu, con sợ đi học", "bullying", "medium"),
    ("người lạ trong game hỏi nhà có ai không, bảo xóa tin nhắn", "online_exploitation", "medium"),
    ("ông ta gửi cho em ảnh cởi truồng", "online_exploitation", "high"),
    ("một ông hẹn ra nhà nghỉ với nó", "online_exploitation", "high"),
    ("em uống nửa chai thuốc tẩy rồi", "self_harm", "imminent"),
    ("em chọn ngày rồi, sẽ treo cổ", "self_harm", "imminent"),
    ("nhịn ăn đến chết có đau không", "self_harm", "high"),
    ("có ông kéo bé lên xe, bé la hét", "immediate_danger", "imminent"),
    ("em bị đưa sang trung quốc, không biết đây là đâu", "immediate_danger", "imminent"),
    # the thirty-seventh round (from triage_dev39)
    ("thầy ôm hôn em, bảo nếu kể ra thì đánh trượt", "sexual_abuse", "high"),
    ("chú hàng xóm dụ bé rồi dắt vào nhà, sờ mó bé", "sexual_abuse", "high"),
    ("dượng nó vào phòng lúc nửa đêm, nó không dám nói với mẹ", "sexual_abuse", "high"),
    ("nhà bên có đứa bé la hét, nghe đánh chát chát", "physical_violence", "high"),
    ("về thăm bố thì con đầy vết roi, con sợ quay về", "physical_violence", "high"),
    ("bé bị lấy dây điện quất, khóc thét", "physical_violence", "high"),
    ("có clip bé bị mẹ bạo hành, ở xóm em, có nên báo công an", "physical_violence", "high"),
    ("bà ký đầu mấy cái, đau lắm", "physical_violence", "medium"),
    ("em ở với bà, bà quên nấu, em nhịn đói", "neglect", "medium"),
    ("anh ấy bảo em mặc đồ ngắn tạo dáng trước cam, giữ bí mật", "online_exploitation", "high"),
    ("con bị thêm vào nhóm kín toàn clip sex", "online_exploitation", "high"),
    ("anh ta gọi em là vợ, dặn đừng kể", "online_exploitation", "medium"),
    ("em thắt dây lên xà nhà rồi, dây đứt", "self_harm", "imminent"),
    ("tụi nó chặn cửa, cầm kéo, em không dám ra", "immediate_danger", "imminent"),
]


@pytest.mark.parametrize("text,category,minimum", DISCLOSURES)
@pytest.mark.parametrize("spelling", ["marked", "unmarked", "upper"])
def test_catches_disclosures_however_they_are_typed(text, category, minimum, spelling):
    typed = {"marked": text, "unmarked": strip_tone_marks(text), "upper": text.upper()}[spelling]
    level, found = floor(typed)
    assert at_least(level, minimum) and found == category, (typed, level, found)


@pytest.mark.parametrize("text,category", [
    ("chu hang xom so cho kin cua em", "sexual_abuse"),
    ("e bi ep quan he", "sexual_abuse"),
    ("ổng bắt e gửi ảnh nóng", "online_exploitation"),
    ("no doa tung anh cua e", "online_exploitation"),
    ("e ko muon song nua", "self_harm"),
    ("e rach tay r", "self_harm"),
    ("cuu e vs", "immediate_danger"),
    ("bo dang cam dao", "immediate_danger"),
    ("tựtử", "self_harm"),
    ("tự-tử", "self_harm"),
    ("TU TU", "self_harm"),
])
def test_catches_teencode_glued_and_unmarked_text(text, category):
    level, found = floor(text)
    assert at_least(level, "high") and found == category, (text, level, found)


def test_other_marks_mean_another_word():
    assert floor("từ từ thôi em") == ("none", None)       # slowly
    assert floor("tự tử")[1] == "self_harm"
    assert floor("tu tu")[1] == "self_harm"               # typed without marks: could be either


EVERYDAY = [
    # a goodnight kiss, a what-if stranger, news, savings (eighth session)
    "mẹ hôn cổ em rồi chúc em ngủ ngon",
    "nếu có người lạ gõ cửa lúc em ở nhà một mình thì em làm gì",
    "trên mạng đang hot vụ một ông bố đánh con, xem mà tức",
    "em để dành tiền mua quà sinh nhật mẹ",
    "em vừa đánh răng xong",
    "chiều nay em đi đánh cầu lông",
    "hôm nay nóng muốn chết",
    "chuyện này buồn cười chết mất",
    "đói chết mất",
    "em bị muỗi đốt",
    "xem phim ma sợ quá",
    "chơi game bị giết hoài",
    "em bị cô phạt chép bài vì quên vở",
    "em đọc báo thấy vụ bạo hành ở tỉnh khác",
    "em xem tivi thấy vụ xâm hại trẻ em",
    "hôm nay lớp em học bài phòng chống xâm hại",
    "xâm hại là gì ạ",
    "dâm ô nghĩa là gì",
    "thế nào là bạo lực học đường",
    "bắt nạt qua mạng là gì",
    "em bị đánh thức lúc 5 giờ",
    "em bị đánh giá là lười",
    "mọi người ơi cứu em bài này với",
    "em đi cấp cứu với mẹ",
    "nhóm em nghiên cứu với cô về môi trường",
    "mẹ đang cầm dao thái rau",
    "mẹ mà biết điểm này thì sẽ giết em mất",
    # the same letters as a risk phrase once marks are dropped
    "điện thoại em còn bảo hành không",  # "bạo hành"
    "em muốn được tư vấn chọn trường",    # "tự vẫn"
    "mai nhà em sẽ treo cờ",              # "treo cổ"
    "mẹ để dành em cái bánh",             # "đánh em"
    "đóng cửa cho kín kẻo muỗi vào",      # "chỗ kín"
    "em mong được điểm cao hơn",          # "hôn" + "mông"
    "em bị tật khúc xạ",                  # "bị tát"
    "em dọn rồi",                         # "đòn roi"
    "cô bảo gửi ảnh bài tập trước 9 giờ",
    "em đang tắm nên lát nữa gọi video nhé",
    "đi học về em ăn cơm rồi",
    "con uống hết thuốc bác sĩ kê rồi mẹ ạ",
    "em mới uống 2 viên hạ sốt",
    "em đang đứng trên cầu ngắm pháo hoa",
    # news, charges and word questions
    "báo nói tài xế bị tố sàm sỡ khách nữ",
    "ông bảo vệ có tiền án xâm hại trẻ em",
    "sàm sỡ với quấy rối thì từ nào nặng hơn",
    "cô lập với tẩy chay có giống nhau không",
    "nếu thấy một bạn bị bắt nạt thì em nên làm gì",
    "em xem clip vụ nữ sinh bị đánh hội đồng trên mạng",
    "mẹ bắt coi đồ giùm ở chợ",
    "con chó nhà em vừa ăn phải bả chuột",
    "em trai đập vỡ cốc của em",
    "mẹ đọc nhật ký thời trẻ cho cả nhà nghe",
    "cả nhà em đi du lịch, ở khách sạn gần biển",
    "mai em đi xem thi nhảy cầu",
    "từ tự kỷ có nghĩa là gì",
    "em đọc tin một nữ sinh tự tử vì áp lực thi cử",
    "bà đang cầm kéo cắt tóc cho em, em sợ bị xấu",
    "anh đang cầm gậy đánh bóng chày",
    "em quay màn hình bài giảng để học lại",
    "cả lớp không ai làm bài tập",
    "hôm nay bị bố đánh cho thua 21-5 ở trận cầu lông",
    "xâm hại tình dục và quấy rối tình dục khác nhau như thế nào",
    "tạm biệt cô, hẹn gặp lại cô tuần sau",
    "lần sau em sẽ uống nhiều nước hơn",
    "mẹ mua thuốc diệt chuột về rắc ở bếp",
    "anh xách gậy đi đánh bóng chày",
    "em nhắn lén cho bạn trong giờ học, sợ cô giữ điện thoại",
    "bố bảo em mang áo khoác",
    "tiết sinh học hôm nay học về cơ thể người",
    "làm sao để nhận ra con mình bị bắt nạt ở trường",
    "em ghép ảnh con mèo với idol rồi đăng lên story",
    "em đói quá, mẹ ơi nấu cơm chưa",
    "em từng thi trượt, giờ lại muốn thi lại",
    "em đang cầm tay bạn qua đường",
    "mẹ bắt em lên xe rồi chở em đi học",
    "bố sắp về rồi, em sợ bị mắng vì điểm kém",
    "từ 'dâm ô' nghĩa là gì vậy ạ",
    "đọc tin ông chú bị bắt vì dâm ô mà sợ",
    "nếu có người lạ bảo đến đón em thì em làm gì",
    "làm sao để biết con mình có đang bị bạn bè bắt nạt không",
    "đọc bài về vụ xâm hại ở trường bên mà sợ",
    "em đang ở trên cầu Rồng xem bắn pháo hoa",
    "sao chổi Halley bao nhiêu năm mới quay lại",
    "em mua đồ chơi hình sao chổi cho em trai",
    "bố hôn em trước khi đi làm",
    "em đói quá, mẹ đi chợ chưa về",
    # eleventh round's look-alikes
    "đá thua 0-4, nhục muốn chết",
    "em đang cầm vỉ thuốc hạ sốt, uống xong chắc là hết sốt",
    "ông bế cháu ngồi vào lòng xem tivi",
    "con mèo hai ngày chưa ăn, em lo quá",
    "em lập nick game mới để chơi với bạn",
    "trẻ 5 tuổi uống bao nhiêu viên hạ sốt là đủ liều",
    "em lên sân thượng xem rồi, trời đẹp lắm",
    "thầy gọi bạn Nam vào phòng giáo viên để khen",
    "mẹ bắt em cởi áo khoác ra phơi",
    "bác sĩ bắt cởi áo để nghe tim phổi",
    "đọc báo đăng tin một học sinh bị đánh hội đồng mà sợ",
    "mẹ dặn mai đi học nhớ mang dao rọc giấy",
    "em gom đủ tiền mua thuốc cho bà rồi",
    "tàu sắp tới ga rồi, em xuống trước nhé",
    "em uống thuốc tẩy giun theo lời cô",
    "em xé hết tranh em vẽ hỏng để vẽ lại",
    "chiều nay ra cầu ngắm hoàng hôn, nước dưới sông đẹp lắm",
    "mẹ đổ nước sôi vào phích",
    "bé nhà mình tự cắt tóc mái",
    "bị chú mắng vì làm chuyện bậy ở lớp",
    "chuẩn bị sẵn dây nhảy, tối nay em tập",
    "cả nhà em vào khách sạn ở Nha Trang, bé gái nhà chú em thích lắm",
    "mẹ dúi đầu bé vào lòng cho bé ngủ",
    "em chơi trò bí mật với bạn, đoán xem ai giấu kẹo",
    "em nhắn tin tạm biệt cô rồi ra cầu thang về",
    "mẹ khóa trái cửa rồi bật ga nấu cơm",
    "bố bảo không sao, bôi dầu là khỏi",
    "ném bóng trúng đầu bạn lúc chơi bóng né",
    "ông nội dạy em làm những chuyện khó như sửa xe",
    "cô giáo dẫn cả lớp vào phòng thí nghiệm rồi đóng cửa cho đỡ ồn",
    "cô phạt đứng cuối lớp vì nói chuyện",
    "em uống mấy viên thuốc cảm mẹ đưa rồi",
    "tối nay em sẽ cắt giấy làm thiệp",
    "em đang đứng trên cầu chụp ảnh hoàng hôn",
    "mẹ đang đợi em ở cổng trường, hôm nay được đi ăn kem",
    "bà ngoại nắm tay em dắt qua đường",
    "mưa to quá thì đừng về nhà nữa, ngủ lại nhà bà",
    "mọi người đọc tin vụ bé bị bố dượng đánh chưa",
    "khi thấy bạn bị bắt nạt thì mình nên làm gì",
    "nếu bị ai đó sờ vào vùng kín thì mình phải làm sao",
    "bé nhà mình 3 tuổi tối nào cũng đòi ngủ với mẹ",
    # look-alikes of the eighteenth round's rules
    "cô dạy về vùng kín trong tiết giáo dục giới tính",
    "em bóp mụn ở cổ giờ thành vết thâm",
    "bé nhà mình bị bỏng nước sôi ở nhà, bảo mẫu đưa đi viện ngay",
    "trong game em bị boss đánh chết ba lần rồi",
    "cháo óc heo ngon lắm, mẹ nấu cho cả nhà",
    "đồ của nó để trên bàn, em chưa động vào",
    "mai em đi luôn từ sáng, dây sạc em chuẩn bị rồi",
    "em đứng trên sân thượng phơi quần áo cho mẹ",
    # look-alikes of the nineteenth round's rules
    "bài văn của em bị lạc đề, sợ quá",
    "nếu em bị lạc trong rừng lúc trời tối thì em nên làm gì",
    "em thích bài Lạc trôi, tối nay hát karaoke",
    "con tôi thích vẽ người, cô ở lớp vẽ dạy vẽ hình không mặc quần áo có sao không",
    "ngày mai em sẽ nhảy xuống hồ bơi tập bơi",
    "em quay clip cảnh mèo nhảy từ bàn xuống",
    "mẹ đang lên cầu thang, em phải làm sao giấu điện thoại đây",
    "bạn em đang đứng trên cầu chụp ảnh, em đứng dưới chờ",
    # look-alikes of the twentieth round's rules
    "ông em đánh golf bằng gậy mới mua",
    "cô giáo đọc bài văn hay của em cho cả lớp nghe",
    # look-alikes of the twenty-first round's rules
    "mẹ nhắn bảo tối nay cả nhà ra khách sạn ăn cưới",
    "ông ngoại ôm hôn em bé, em bé khóc vì râu ông",
    "em gom hết thuốc hạ sốt cất vào tủ thuốc cho mẹ",
    "em bị bạn đẩy ngã lúc đá bóng, đầu gối sưng to",
    # look-alikes of the twenty-second round's rules
    "em bị quả bóng đập vào mặt, chảy máu mũi mà không sao",
    "báo đưa tin bảo mẫu tát trẻ ở nhóm trẻ tự phát",
    "bố cắt trụi tóc em cho mát mùa hè",
    "em mở cửa sổ cho thoáng, nóng không chịu nổi nữa",
    "bố đưa bé vào khách sạn ăn tiệc cưới",
    "em đi cắt tóc ở tiệm đầu ngõ",
    # look-alikes of the twenty-third round's rules
    "bà cho kẹo rồi bắt em nằm ngủ trưa",
    "con bé nhà tôi không cho ai chạm vào người khi nó đang giận, làm thế nào",
    "mẹ bắt em làm những việc không phù hợp với tuổi như rửa bát, em thấy bất công",
    "chị họ em bị gả cho một người ở xa, chị ấy 25 tuổi và rất vui",
    "tết nhà em treo lên cây đèn lồng rồi đập bóng bay",
    "em ngã cầu thang đập vào đầu chảy máu nhiều, mẹ đưa đi khâu rồi",
    "bố mẹ đi làm ba ngày rồi chưa về vì công tác, nhà hết gạo nên em sang bà ăn",
    "mẹ em uống thuốc ngủ nên ngủ say, em bé khóc cả ngày vì mọc răng",
    "em sốt mấy hôm nay, mẹ bảo tự đi mua thuốc ở hiệu thuốc đầu ngõ vì mẹ bận",
    "bố giết con gà để làm cỗ, bố nói thật đấy",
    "bọn nó quay video vây lại cổ vũ rồi đăng lên facebook trận bóng",
    "lớp em nộp tiền quỹ lớp, ai không nộp thì bị xử phạt lao động",
    "anh quen qua mạng bảo em giấu bố mẹ chuyện điểm kém",
    "mẹ bảo bật cam cho bà xem phòng ngủ mới của em",
    "nhà em mua thuốc chuột để trên nóc tủ, không biết có nên để đó không",
    "em cầm dao rọc giấy muốn cắt tay áo cho ngắn lại",
    "con mèo đã cào tay em chảy máu",
    "thấy một người đàn ông bế lên xe một bé đang khóc thét vì không muốn về",
    "bà nội bóp miệng đổ thuốc bổ cho em uống vì em kén ăn",
    # look-alikes of the twenty-fourth round's rules
    "mẹ em có bầu rồi, bố hơn mẹ 10 tuổi, em học lớp 8 sắp có em bé",
    "em nhốt bé cún vào chuồng chó vì nó cắn dép",
    "vết bỏng trên tay em là do em chạm vào điếu thuốc của bố lúc bố hút",
    "mẹ bảo em là đồ rẻ tiền hay sao mà mua gì cũng chọn hàng giảm giá",
    "mẹ bảo không chịu học là phí tiền bố mẹ, em khóc một tí rồi học tiếp",
    "em không có áo ấm nên mẹ mua cho cái mới, ở nhà cũng không có chăn điện",
    "em viết thư cho mẹ xong rồi đi nhảy cầu ở bể bơi",
    "bố bắt em lên xe đi học mà em không biết đang đi đâu vì bố đi đường khác",
    "kẹo cao su dính lên ghế em, các bạn cười rồi giúp em gỡ ra",
    "bố đánh rơi cái ống nước bằng sắt",
    # look-alikes of the twenty-fifth round's rules
    "mẹ sờ người em thấy nóng, bảo em đi ngủ sớm",
    "bố bạn em sờ người em xem có sốt không lúc em ngủ lại nhà bạn",
    "cô giáo em 25 tuổi mới có thai, do chú chồng cô là bộ đội",
    "mèo nhà em bị con chó hàng xóm đe dọa, em sợ nó giết con mèo mất",
    "bạn bảo em ngu như bò ở môn toán, suốt ngày quên công thức",
    "mẹ gọi hỏi bố mẹ có nhà không để gửi hàng",
    "em vừa uống một đống thuốc cảm bác sĩ kê, đắng quá",
    "khủng long không còn tồn tại từ lâu rồi",
    "em đang trèo lên mái của chuồng gà để bắt con gà",
    "con tôi không cho ai chạm vào người từ hôm đi học thêm về vì bị ngã trầy",
    # look-alikes of the twenty-sixth round's rules
    "cô gọi em ở lại dọn lớp rồi ôm em, bảo đừng nói với các bạn là cô cho kẹo",
    "trong phim nhân vật bị ăn một bạt tai đau điếng",
    "bảo mẫu cho bé uống siro ho theo đơn bác sĩ",
    "cô bắt em đứng trước cả lớp đọc bài, em ngu văn lắm",
    "em được add vào group lớp mới, các bạn réo tên em để chào",
    "gia đình em đến khách sạn gặp mặt hai họ, bố bảo giấu bà chuyện quà",
    "em live game cho bạn xem, bạn quay lại màn hình rồi đăng lên group kín của lớp",
    "mẹ bảo người lạ trên mạng hay dụ trẻ con xóa tin nhắn đi, phải cẩn thận",
    "đầu bếp nói chỉ cần một nhát thôi là chặt được con gà",
    "hôm nay em lại cắt tiếp tóc mái, cổ tay mỏi quá",
    "em vừa uống mấy viên thuốc cảm theo đơn, không biết bao nhiêu viên là đủ",
    # look-alikes of the twenty-seventh round's rules
    "mẹ bắt em tắm chung với em bé cho nhanh, em bé hay sờ mặt em",
    "ông chủ quán gọi mấy đứa con gái nhỏ vào phòng riêng đóng cửa lại để chia bánh sinh nhật",
    "anh ta vào nhà tắm sửa vòi nước lúc sáng, không ai đang tắm",
    "nhà bên hay đánh bài tối nào cũng đánh, hôm qua bác ấy ngã phải bó bột",
    "nhà em toàn chuột vì gần chợ, mẹ dọn suốt mà không bao giờ dọn hết",
    "anh họ em đặt phòng khách sạn để gặp nhau cả nhà dịp tết, em mới 13 tuổi được đi cùng",
    "bố em chuẩn bị dây để tối nay treo đèn trung thu",
    "em vừa đập đầu vào cửa tủ, chảy máu một chút",
    # look-alikes of the twenty-eighth round's rules
    "chú hàng xóm đóng cửa lại vì mưa, em bị rách quần lúc trèo cây",
    "em thay đồ trước mặt mẹ rồi mẹ chụp ảnh đồng phục mới",
    "bố mẹ em đi làm thuê, chủ không cho nghỉ tết",
    "mẹ bắt em đi mua nước mắm, em chạy đi ngay không thì bị mắng",
    "em tức quá đấm vào tường một cái, lại làm nữa thì đau tay",
    "bố đổ xăng vào máy cắt cỏ rồi cầm bật lửa hút thuốc",
    "cái dép rơi xuống sông, không có ai nhặt giúp",
    # look-alikes of the twenty-ninth round's rules
    "cả lớp chặn em lại hỏi bài tập, vui lắm",
    "em bị bạn ném đá trúng đầu lúc chơi, không chảy máu",
    "thầy phạt chạy 5 vòng sân, có bạn ngất vì đói nhưng đỡ rồi",
    "ở xưởng bố em có mấy đứa trẻ con vào chơi, làm cả ngày không chán",
    "mẹ mua dây thừng về, em sẽ làm xích đu",
    "bố em uống thuốc rồi nằm không dậy nổi vì mệt, mẹ bảo để bố ngủ",
    "tụi nó vây quanh em hát chúc mừng sinh nhật, cầm gậy phát sáng",
    "bố kéo tay bé lên xe, bé khóc vì không quen cô giáo mới",
    "chú hàng xóm vuốt lưng em lúc em bị nghẹn, em thấy khó chịu",
    # look-alikes of the thirtieth round's rules
    "bố rủ em ra khách sạn ăn buffet cuối tuần",
    "chú rể ôm eo cô dâu rồi rủ đi khách sạn chụp ảnh cưới",
    "hôm đám cưới anh họ bị bạn chuốc say, về nhà không nhớ gì",
    "bị chị bắt ngủ chung vì chị sợ ma",
    "ông nội đưa cháu gái 13 tuổi đi khách sạn dự đám cưới",
    "cô chủ nhiệm hay gọi lên phòng riêng mắng, bạn ấy khóc nhưng không nói gì",
    "thầy bắt bọn em cởi đồ thể dục ra thay rồi quay lại lớp",
    "em lột quần áo búp bê ra thay rồi chụp ảnh",
    "hlv bắt tập sút bóng, ai tập sai thì chạy thêm vòng",
    "bố em làm ở công trường, hay vác xi măng cả ngày",
    "em chat với bạn trên zalo, bạn bảo tới đón em đi học, đừng nói với ai về quà sinh nhật",
    "có người đăng ảnh con mèo đang tắm dễ thương ghê",
    "mẹ đăng ảnh em bé đang tắm lên facebook",
    "em đang ở trên mái nhà sửa ăng ten với bố",
    "sợi dây diều em buộc sẵn rồi, chỉ chờ gió lên",
    "em nhịn ăn để giảm cân, mẹ bảo cứ thế thì chết dần",
    "em vừa lấy dao cắt hoa quả bị đứt tay, máu chảy nhiều",
    '"xâm hại tình dục" nghĩa chính xác là gì ạ',
    # look-alikes of the thirty-first round's rules, and its framings
    "nhà em đang chuẩn bị đám cưới chị hai",
    "bố bạn ấy hay vào nhà tắm giặt đồ lúc bạn ấy tắm xong",
    "tôi sợ con tôi bị anh lớp trên quấy rối ở trường, làm sao để phòng",
    "chú bảo vệ hay bế bé vào phòng bảo vệ cho bé uống nước khi mưa",
    "em lấy thước gõ đầu em trai vì nó phá bài",
    "cô giáo lấy thước gõ bảng cho cả lớp trật tự",
    "em bé 3 tuổi tát mấy phát vào mặt bố rồi cười",
    "con mèo cào xước tay em khi em bứt lông nó",
    "mẹ uống hết thuốc ngủ trong vỉ rồi, mai ra mua thêm, mẹ hơi chóng mặt vì cảm",
    "ai cũng ghét em vì em hát dở, bạn viết lên bảng chúc mừng sinh nhật em",
    "nhà nghèo không đóng học phí, may được trường miễn, không bị đuổi học",
    "làm sao để con không bị người ta dụ dỗ trên mạng, nó hay ôm điện thoại",
    "bắt nạt trên mạng có bao gồm bình luận ác ý không",
    "thấy trên tiktok vụ bố dượng đánh con mà tức",
    "nếu sau này có ai dọa tung ảnh của em thì em báo ai",
    # look-alikes of the thirty-second round's rules, and its framings
    "anh trai chui vào màn lúc nửa đêm vì sợ sấm, em sợ quá khóc luôn",
    "mẹ nắm tóc em kéo để buộc cho gọn",
    "thầy đọc điểm kém của cả lớp, cả trường đều biết lớp em học dở",
    "bạn em tự chê mình vô tích sự, em bảo em không nghĩ vậy",
    "cô giáo bắt em ngồi gần bàn cô vì em hay nói chuyện",
    "tối nay ra cầu xem pháo hoa, sông đẹp lắm, em sẽ nhảy múa",
    "em đứng trên sân thượng xem pháo hoa, sắp nhảy cẫng lên vì vui",
    "tin trên đài có vụ bố đánh con ở tỉnh bên, bị bắt rồi",
    # look-alikes of the thirty-third round's rules
    "em bé lò mò vô phòng bố mẹ lúc nửa đêm, sáng ra quần bị tụt vì đái dầm",
    "thầy thể dục hay gọi riêng bạn lớp trưởng vào kho dụng cụ lấy bóng, bạn ấy sợ thầy la",
    "con trai tôi sợ con trai lớp trên, hay khóc, không biết có bị ai đụng không",
    "em nhắn tin chửi thằng bạn mỗi đêm vì nó thua game, đùa thôi",
    "em chụp lén váy cưới của chị để gửi cho bạn xem",
    "con cất sẵn sợi dây nhảy trong tủ, thi xong sẽ đi tập",
    "nhà em đi du lịch campuchia, mẹ giữ hộ chiếu của cả nhà",
    # look-alikes of the thirty-fourth round's rules, and its framings
    "chú bảo vệ cho em xem ảnh người lớn tuổi hồi trẻ của chú",
    "ông ngoại ôm hôn em trong phòng tắm lúc tắm cho em hồi bé",
    "mẹ đi chơi suốt với bạn tuần này, em phải trông em bé giúp",
    "thầy nhắn tin chúc mừng sinh nhật, bảo nhớ em học giỏi, hẹn gặp riêng phụ huynh",
    "bố cất sẵn con dao trong cặp để tối nay đi câu ra bờ sông",
    "bạn em đang tới, còn 5 phút, em ở nhà một mình, không ai nghe điện thoại nên em mở cửa",
    "viết giúp em đoạn văn về tác hại của bạo lực học đường",
    "tối qua tv chiếu phóng sự về trẻ em bị bỏ rơi",
    # look-alikes of the thirty-fifth round's rules
    "đi cắm trại về em bị vết cào của mèo, cứ khóc vì đau",
    "kẹt trong xe buýt một tiếng vì tắc đường, nóng quá",
    "giúp em tìm số nhà ngõ 52, bạn em đang tới rồi",
    "bếp nhà bên đang cháy, may mà mọi người chạy ra được hết",
    "phim tối nay có cảnh đánh nhau bằng mã tấu, em xem mà sợ",
    "em viết sẵn tin nhắn tạm biệt cô chủ nhiệm, cô chuyển trường",
    "lớp em bình chọn bạn hát hay nhất, em đứng top 1, vui lắm",
    "em không có đồng phục mới, đồng phục cũ còn tốt",
    # look-alikes of the thirty-sixth round's rules, and its framings
    "em uống thuốc tẩy giun theo lời cô y tế",
    "anh em cứ thua game là lôi ra đánh tiếp trận khác, ngày nào cũng chơi",
    "mẹ định đem con mèo cho người khác nuôi vì nhà chật",
    "bố mẹ để em ở nhà một mình tối nay đi ăn cưới, em 15 tuổi rồi nên không sao",
    "bố mẹ đi vắng mấy ngày, bà sang nấu cơm, nhà mất điện nên ăn bánh mì",
    "chưa ai cho con ăn bánh sinh nhật, mọi người đợi thổi nến",
    "bạn cùng bàn chuyển trường, em không muốn đi học nữa vì buồn",
    "chị em có người yêu 30 tuổi, chị 25 tuổi, anh cho tiền mua nhà",
    "em treo cổ áo lên móc, chọn ngày mai mặc đi học",
    "lỡ một ngày bạn thân kể là bị đánh ở nhà thì mình nói gì",
    # look-alikes of the thirty-seventh round's rules
    "vợ yêu của anh trai em tặng quà em, dặn đừng kể với anh",
    "bọn nó đứng ngoài cầm gậy chơi đánh trận giả, em không dám ra vì sợ thua",
    "em nhịn đói để giảm cân, ở với bà nên bà hay nấu nhiều",
]


@pytest.mark.parametrize("text", EVERYDAY)
@pytest.mark.parametrize("marked", [True, False])
def test_everyday_phrases_raise_nothing(text, marked):
    typed = text if marked else strip_tone_marks(text)
    level, _ = floor(typed)
    assert not at_least(level, "medium"), (typed, default_lexicon().scan(normalise(typed, default_teencode())))


def test_word_questions_are_exempt_but_never_for_self_harm_or_danger():
    assert floor("xâm hại tình dục là gì")[0] == "none"
    assert floor("tự tử là gì")[1] == "self_harm"
    assert floor("muốn chết nghĩa là gì")[1] == "self_harm"
    assert floor("cứu em là gì")[1] == "immediate_danger"
    for framing in default_lexicon().to_dict()["framings"]:
        assert not {"self_harm", "immediate_danger"} & set(framing["categories"])


def test_a_framing_only_reaches_its_own_clause():
    # the question is about a word; the disclosure after it still counts
    assert floor("xâm hại là gì, chú sờ vào chỗ kín của em")[0] == "high"
    assert floor("em đi học về là bị bố đánh")[1] == "physical_violence"
    assert floor("em muốn nói chuyện về việc bố đánh em")[1] == "physical_violence"
    assert floor("bố mẹ phân biệt đối xử chửi em suốt")[1] == "emotional_abuse"


def test_a_supposed_someone_is_not_a_report():
    # "nếu có" right before "người lạ ... đến đón em": a question about some day, not a report
    assert floor("nếu có người lạ đến đón em thì sao")[0] == "none"
    # without the framing the same words are a report
    assert floor("có người lạ đến đón em ở cổng trường")[1] == "online_exploitation"


def test_a_framing_phrase_with_marks_hides_only_when_typed_with_them():
    # "giả sử" supposes; typed bare, "gia su" is far more often a tutor
    assert floor("giả sử có người sờ vào ngực em thì sao")[0] == "none"
    assert floor("giả sử sau này có ai trên mạng đòi ảnh riêng tư thì em báo ai")[0] == "none"
    assert floor("gia su cua em so vao nguc em") == ("high", "sexual_abuse")
    assert floor("nho bn e bi bo danh bam mat")[0] == "high"      # "nhỏ bạn em": a friend
    assert floor("nếu bạn bị đánh bầm mặt thì báo ai")[0] == "none"


def test_a_case_the_writer_then_owns_is_not_framed_away():
    supposed = "nếu ai đó dọa tung ảnh nóng của mình lên mạng thì làm sao"
    assert floor(supposed)[0] == "none"
    owned = supposed + "? chuyện này đang xảy ra với em"
    assert floor(owned) == ("high", "online_exploitation")
    assert floor(strip_tone_marks(owned)) == ("high", "online_exploitation")
    # the model persists the lexicon through to_dict(): the own-story phrases go with it
    assert RiskLexicon.from_dict(default_lexicon().to_dict()).floor(owned) == ("high", "online_exploitation")
    # a news story with a feeling about it is still news
    assert floor("đọc báo thấy vụ bé bị bố đánh, thật ra là em thấy thương bé quá")[0] == "none"


def test_an_exception_hides_only_what_it_overlaps():
    assert floor("em vừa đánh răng thì bị bố đánh")[1] == "physical_violence"
    assert floor("nóng muốn chết, mà em cũng muốn chết thật")[1] == "self_harm"


def test_signals_point_at_the_matched_text():
    text = "hôm qua chú hàng xóm sờ vào chỗ kín của em"
    signals = default_lexicon().scan(text)
    assert any(s.phrase == "chỗ kín" and text[s.start:s.end] == "chỗ kín" for s in signals)
    assert all(isinstance(s, RiskSignal) and 0 <= s.start < s.end <= len(text) for s in signals)


def test_all_of_needs_every_group_within_the_window():
    lexicon = RiskLexicon.from_dict({"categories": {"sexual_abuse": {
        "floor": "high", "all_of": [[["sờ vào"], ["ngực"]]], "window": 30}}})
    assert lexicon.floor("chú sờ vào ngực em") == ("high", "sexual_abuse")
    assert lexicon.floor("ngực em đau, chú sờ vào") == ("high", "sexual_abuse")  # any order
    assert lexicon.floor("chú sờ vào" + " ờ" * 20 + " ngực") == ("none", None)
    assert lexicon.floor("chú sờ vào tay em") == ("none", None)


def test_one_category_can_hold_rules_of_different_floors():
    lexicon = default_lexicon()
    assert lexicon.floor("em muốn chết")[0] == "high"
    assert lexicon.floor("em định nhảy lầu tối nay")[0] == "imminent"
    assert lexicon.floor("em thấy tuyệt vọng lắm")[0] == "medium"


HOSTILE = [
    "", " ", "\n\t", "😀" * 5000, "a" * 10_000, "em " * 4000, "chỗ kín " * 1300, "đánh răng bị đánh " * 600,
    "xâm hại là gì " * 700, unicodedata.normalize("NFD", "chú sờ vào chỗ kín của em"), "\u0000\u200b\ufeff",
    "ﾃｽﾄ 漢字 العربية", "\udcff", "tự\u0301 tử", "(((((" * 2000, "[" * 5000, "\\" * 5000, "ự" * 10_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_never_raises_and_stays_fast(text):
    started = time.perf_counter()
    signals = default_lexicon().scan(text)
    level, _ = default_lexicon().floor(text)
    assert level in RISK_LEVELS and isinstance(signals, list)
    assert time.perf_counter() - started < 2.0


def test_nfd_input_is_matched():
    assert default_lexicon().floor(unicodedata.normalize("NFD", "chú sờ vào chỗ kín của em"))[0] == "high"


def test_non_text_is_no_risk():
    assert default_lexicon().scan(None) == [] and default_lexicon().floor(None) == ("none", None)


def test_to_dict_round_trips():
    lexicon = default_lexicon()
    data = lexicon.to_dict()
    again = RiskLexicon.from_dict(data)
    assert again.to_dict() == data
    assert again.categories == lexicon.categories
    for text in [d[0] for d in DISCLOSURES] + EVERYDAY:
        assert again.scan(text) == lexicon.scan(text)
    yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))  # storable as plain data


def test_short_form_category_reads_as_one_rule():
    short = RiskLexicon.from_dict({"categories": {"x": {"floor": "low", "phrases": ["cứu em"]}}})
    assert short.to_dict()["categories"] == {"x": {"rules": [{"floor": "low", "phrases": ["cứu em"]}]}}


@pytest.mark.parametrize("bad", [
    {},
    {"categories": {"x": {"floor": "severe", "phrases": ["a"]}}},
    {"categories": {"x": {"floor": "high"}}},
    {"categories": {"x": {"floor": "high", "phrases": ["a"], "colour": "red"}}},
    {"categories": {"x": {"floor": "high", "all_of": [[["a"]]]}}},
    {"categories": {"x": {"floor": "high", "phrases": ["a"], "window": 5}}},
    {"categories": {"x": {"floor": "high", "phrases": ["tự-tử"]}}},
    {"categories": {"x": {"floor": "high", "phrases": ["a"]}}, "framings": [{"categories": ["y"]}]},
])
def test_a_malformed_lexicon_is_refused_at_load(bad):
    with pytest.raises(ValueError):
        RiskLexicon.from_dict(bad)


def test_shipped_lexicon_is_well_formed():
    lexicon = default_lexicon()
    assert lexicon is default_lexicon()
    assert lexicon.categories == (
        "sexual_abuse", "physical_violence", "emotional_abuse", "neglect", "bullying", "online_exploitation",
        "self_harm", "immediate_danger", "witness_report", "parent_report")
    data = lexicon.to_dict()
    rules = [rule for body in data["categories"].values() for rule in body["rules"]]
    risk_phrases = [p for rule in rules for p in rule.get("phrases", [])]
    risk_phrases += [p for rule in rules for combo in rule.get("all_of", []) for group in combo for p in group]
    everything = risk_phrases + data["exceptions"] + [
        p for framing in data["framings"] for p in framing["before"] + framing["before_with_marks"] + framing["after"]]
    # written as normalise() writes text, so the marked form of a phrase matches marked input
    assert [p for p in everything if normalise(p) != p or p != p.lower()] == []
    # an exception equal to a risk phrase would silence it everywhere
    assert set(data["exceptions"]) & set(risk_phrases) == set()
    assert [p for p, n in Counter(data["exceptions"]).items() if n > 1] == []
    for rule in rules:
        assert len(set(rule.get("phrases", []))) == len(rule.get("phrases", []))


def test_max_risk():
    assert max_risk() == "none"
    assert max_risk("low", "imminent", "medium") == "imminent"
    assert max_risk("none", "none") == "none"
    with pytest.raises(ValueError):
        max_risk("severe")


def test_fires_on_no_everyday_training_example():
    """No floor that escalates (medium and up). A `low` signal only informs the classifier
    ("con tôi", "bé nhà em"): benign examples that carry one are how DIET learns that the
    words alone mean nothing, so they are allowed here. The hard negatives (everyday_hard*.yml:
    news of a suicide, a case reported at length) are not read: they teach the classifier, and
    some carry a floor on purpose; `python -m tests.eval.replay coverage` prints how many."""
    fired = []
    everyday = [p for p in sorted(DATA.glob("everyday*.yml")) if not p.stem.startswith("everyday_hard")]
    for text in (t for path in everyday for t in examples(path).get("out_of_scope", [])):
        for typed in (text, strip_tone_marks(text)):
            signals = [s for s in default_lexicon().scan(normalise(typed, default_teencode())) if at_least(s.floor, "medium")]
            if signals:
                fired.append((typed, [(s.category, s.floor, s.phrase) for s in signals]))
    assert fired == []


# Disclosure examples whose floor a framing or an exception lowers, on purpose: unmarked
# look-alikes ("do ngu" is also "đồ ngủ", "co lap" also "có lắp") and "dấu hiệu bị xâm hại"
# (a question about signs, as often as a report). The classifier decides these.
KNOWN_HIDDEN = {
    "bo em day con bang roi vot, tuan nao em cung bi danh may tran",
    "em bi cac ban co lap, gio ra choi em chi ngoi mot minh",
    "nguoi tren mang hua cho em lam idol neu em quay clip nhay mac do ngu",
    "a y chuyen khoan cho e 300k r doi e gui hinh mac do ngu",
    "co ng la nhan hoi nha e co lap camera ko, bo me e may h moi ve",
    "co anh trong nhom game bao se nap cho em 500 kim cuong neu em gui mot tam anh mac do ngu",
    "tôi là giáo viên, học sinh lớp tôi có dấu hiệu bị xâm hại",
    "toi la giao vien, hoc sinh lop toi co dau hieu bi xam hai",
    "bé nhà tôi có dấu hiệu bị xâm hại, tôi nên báo ai",
    "be nha toi co dau hieu bi xam hai, toi nen bao ai",
    "toi lo con gai toi bi ban be co lap, chau khong muon den truong nua",
    'bn ngồi sau vẽ chữ "đồ ngu" lên lưng áo e, e hok hay, về nhà mới bít',
    'bn ngoi sau ve chu "do ngu" len lung ao e, e hok hay, ve nha moi bit',
    "emlo gui anh luc mac do ngu cho a ay, h a ay bao phai gui ko mac j nua thi moi cong bang",
    'co chu nhiem lop em trai em dan giay len lung no ghi "do ngu" roi bat di khap truong',
    'acc insta cua e bi hack, tui no dang anh e mac do ngu kem caption "ai ranh ib e" 😭',
    "a re bat e mac do ngu mong di qua di lai cho a ngam, ko nghe la a mach chi e hu",
}


def test_framings_and_exceptions_hide_no_other_disclosure_example():
    """A new framing ("đọc tin" hid "mẹ đọc tin nhắn của em rồi chửi bới em") or exception must
    not lower the floor of a disclosure the training data holds."""
    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "nlu" / "resources" / "risk_lexicon.yml").read_text("utf-8"))
    bare = RiskLexicon.from_dict({**data, "framings": [], "exceptions": []})
    hidden = set()
    for texts in (t for path in sorted(DATA.glob("disclosure*.yml")) for t in examples(path).values()):
        for text in texts:
            for typed in (text, strip_tone_marks(text)):
                if floor(typed)[0] != bare.floor(normalised(typed))[0]:
                    hidden.add(typed)
    assert hidden - KNOWN_HIDDEN == set()


def test_an_exception_typed_partly_with_marks_must_carry_its_own_marks():
    # "đồ ngu" (an insult, "đồ" typed with its marks) is not the pyjamas of "đồ ngủ"; "do ngu",
    # typed with no marks at all, may be either, and the exception still hides it
    assert default_lexicon().scan(normalise("bạn viết đồ ngu lên lưng áo em")) != []
    assert default_lexicon().scan(normalise("mac do ngu")) == []


def test_a_phrase_never_spans_a_clause_break():
    # "cắt vào tay, chảy máu" typed without marks is not "tẩy chay"; "tự-tử" and "tự.tử" still are "tự tử"
    assert [s.phrase for s in default_lexicon().scan(normalise("bi dao cat vao tay, chay mau"))] == []
    for typed in ("em muốn tự-tử", "em muốn tự.tử"):
        level, category = floor(typed)
        assert category == "self_harm" and at_least(level, "high"), typed


def test_no_phrase_is_listed_twice_in_a_category():
    """A second copy of a phrase adds nothing (the highest floor wins) and hides which floor is meant."""
    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "nlu" / "resources" / "risk_lexicon.yml").read_text("utf-8"))
    for category, entry in data["categories"].items():
        phrases = [p for rule in entry.get("rules", [entry]) for p in rule.get("phrases", [])]
        assert [p for p, n in Counter(phrases).items() if n > 1] == [], category



def test_ruling_phrases_out_by_their_first_syllable_changes_no_scan(monkeypatch):
    """The scan searches only phrases whose first syllable starts a word of the message (`make
    bench-lexicon` measures what that saves). Searching every phrase must give exactly the same signals, also when
    syllables are typed glued ("tựtử"), unmarked, upper-case or in NFD."""
    from nlu import risk_lexicon

    spellings = (lambda t: unicodedata.normalize("NFD", t), lambda t: strip_tone_marks(t).upper(),
                 lambda t: t.replace(" ", ""), lambda t: t)
    texts = [spellings[i % 4](text) for i, text in enumerate([t for t, *_ in DISCLOSURES] + EVERYDAY + HOSTILE[:12])]
    lexicon = default_lexicon()
    pruned = [lexicon.scan(text) for text in texts]
    monkeypatch.setattr(risk_lexicon._Scan, "could_start", lambda self, phrase: True)
    monkeypatch.setattr(risk_lexicon._Scan, "could_match", lambda self, keys: True)
    assert [lexicon.scan(text) for text in texts] == pruned
    assert sum(map(bool, pruned)) > len(DISCLOSURES) // 2  # the comparison is not between empty scans
