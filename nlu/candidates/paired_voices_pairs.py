"""Paired voices: each pair is one benign message and one disclosure in the SAME voice.

PAIRS holds (benign_intent, benign_text, disclosure_intent, disclosure_text); the YAML candidate
nlu/candidates/paired_voices.yml is generated from it (the YAML groups by intent, so the pairing is
only kept here). Run:  python paired_voices_pairs.py OUT.yml
Candidate only, not trained on. Written fresh: never copy into or from tests/ or nlu/dev/.
"""
import sys

O, W = "out_of_scope", "ask_word_meaning"
PC, WIT = "report_parent_concern", "report_witness"
SEX, PHY, EMO, NEG = "disclose_sexual_abuse", "disclose_physical_violence", "disclose_emotional_abuse", "disclose_neglect"
BUL, ONL, SH, DNG = "disclose_bullying", "disclose_online_exploitation", "disclose_self_harm", "disclose_immediate_danger"

# A. parent general question / parent reporting their own child (35)
PARENT = [
    (O, "con tôi 8 tuổi, làm sao dạy cháu biết bộ phận riêng tư thì không ai được chạm vào",
     PC, "con tôi 8 tuổi, hôm qua cháu kể chú hàng xóm chạm vào bộ phận riêng tư của cháu, tôi phải làm gì"),
    (O, "bé nhà mình 5 tuổi hay ngã trầy đầu gối khi chạy nhảy, có cần bôi thuốc gì không",
     PC, "bé nhà mình 5 tuổi đi học về đùi có vết bầm hình ngón tay, hỏi thì bé bảo cô dặn không được kể"),
    (O, "con gái tôi 13 tuổi suốt ngày ôm điện thoại, nên giới hạn thời gian dùng thế nào ạ",
     PC, "con gái tôi 13 tuổi suốt ngày ôm điện thoại, tối qua tôi thấy có người lạ trên mạng đòi cháu gửi ảnh không mặc áo"),
    (O, "con trai mình lớp 7 dạo này ít nói hơn hẳn, có phải tuổi dậy thì nên thế không mọi người",
     PC, "con trai mình lớp 7 dạo này ít nói, tắm thì khóa cửa, mình vô tình thấy cổ tay cháu có mấy vết cắt ngang"),
    (O, "lam the nao de biet con co bi bat nat o truong khong, co dau hieu gi can de y",
     PC, "con toi ve nha sach vo bi xe, ao rach, hoi thi khoc bao may ban cung lop ngay nao cung chan danh trong nha ve sinh"),
    (O, "tôi mới tái hôn, làm sao để con riêng của tôi gần gũi với bố dượng hơn",
     PC, "tôi mới tái hôn, con gái riêng của tôi 11 tuổi nói bố dượng hay vào phòng lúc nửa đêm sờ người cháu, tôi rối quá"),
    (O, "cho con ở với ông bà nội mấy tháng hè có ảnh hưởng gì đến tâm lý của con không",
     PC, "cho con về ở với ông bà nội mấy tháng hè, đón về thì cháu gầy rộc, kể là ông hay nhốt cháu ngoài sân không cho ăn"),
    (O, "con tôi 10 tuổi sợ bóng tối, tối nào cũng đòi bật đèn ngủ, có sao không ạ",
     PC, "con tôi 10 tuổi tự nhiên sợ bóng tối, đòi ngủ với mẹ, hỏi mãi mới nói anh họ hay bắt cháu cởi quần chơi trò vợ chồng"),
    (O, "nên cho con học bơi ở trung tâm hay thuê thầy dạy kèm riêng ạ",
     PC, "tôi thuê thầy dạy kèm riêng cho con, giờ cứ đến buổi học là con khóc, bảo thầy hay ôm hôn và bắt giữ bí mật"),
    (O, "con mình hay mè nheo đòi quà mỗi lần đi siêu thị, xử lý sao cho khéo",
     PC, "con mình hay được một ông trong game tặng quà nạp thẻ, giờ ông ấy đòi gặp riêng và dặn con đừng nói với bố mẹ"),
    (O, "con toi lop 5 hay bi diem kem mon toan, co nen cho di hoc them khong",
     PC, "con toi lop 5 bi diem kem mon toan, bo no danh bang that lung tim het mong, toi can ma khong duoc"),
    (O, "mẹ chồng hay chiều cháu quá, cho ăn kẹo suốt, tôi nên nói thế nào cho khéo",
     PC, "mẹ chồng tôi hay cấu véo con gái tôi, đùi con bé chi chít vết tím, bà còn dọa con mách mẹ thì đánh tiếp"),
    (O, "con tôi 15 tuổi muốn đi chơi qua đêm với bạn, có nên cho không ạ",
     PC, "con tôi 15 tuổi đi chơi qua đêm với bạn trai quen trên mạng, về nhà thất thần, cháu nói bị ép quan hệ và bị quay clip"),
    (O, "bé nhà em 4 tuổi hay gặp ác mộng, khóc thét giữa đêm, có phải do xem phim không",
     PC, "bé nhà em 4 tuổi từ hôm gửi chú nó trông giùm thì hay gặp ác mộng, khóc thét, chỗ kín bị đỏ và kêu đau"),
    (O, "con trai em 12 tuổi chơi game nhiều quá, có app nào quản lý không chị",
     PC, "con trai em 12 tuổi chơi game bị người lạ trên mạng dụ gửi ảnh vùng kín, giờ hắn dọa tung lên nhóm nếu cháu không gửi thêm"),
    (O, "con tôi bị cô giáo phê bình trước lớp vì nói chuyện, tôi có nên lên gặp cô không",
     PC, "con tôi bị cô giáo chủ nhiệm bắt đứng ngoài nắng cả tiết, còn tát vào mặt vì nói chuyện, má cháu vẫn còn hằn"),
    (O, "con gái mình 14 tuổi ăn ít để giữ dáng, làm sao khuyên con ăn uống đủ chất",
     PC, "con gái mình 14 tuổi bỏ ăn cả tuần, hay viết trong nhật ký là muốn biến mất, không muốn sống nữa"),
    (O, "be nha minh 6 tuoi hay noi doi, phat the nao cho hop ly a",
     PC, "be nha minh 6 tuoi ve ke bi thay day ve o trung tam danh vao tay bang thuoc ke, tay sung do, minh phai lam sao"),
    (O, "bố mẹ ly hôn thì nên nói với con thế nào để con đỡ sốc",
     PC, "bố mẹ cháu ly hôn, cuối tuần con về nhà bố, lần nào về cũng có vết bầm, con nói bố say rượu là đánh"),
    (O, "có nên cho con 9 tuổi tự đi xe buýt đến trường không mọi người",
     PC, "con tôi 9 tuổi tự đi xe buýt đến trường, mấy hôm nay kể có ông lạ ngồi cạnh cứ sờ đùi, hôm qua còn đi theo về tận ngõ"),
    (O, "con minh moi chuyen truong, lam sao giup con ket ban nhanh hon",
     PC, "con minh moi chuyen truong bi ca lop co lap, tui no lap nhom chat chui con la do ban, con ghep anh con dang len mang"),
    (O, "bé nhà tôi 6 tuổi rồi mà vẫn tè dầm, có cần đi khám không",
     PC, "bé nhà tôi 6 tuổi hết tè dầm lâu rồi, từ khi ở với mẹ kế lại bị lại, người đầy vết lằn, cháu bảo dì đánh bằng roi mây"),
    (O, "làm sao để dạy con không đi theo người lạ khi đi chơi công viên",
     PC, "chiều nay đi chơi công viên, có người lạ cho con tôi kẹo rồi định bế đi, may tôi chạy kịp, giờ con vẫn run"),
    (O, "con gái em 16 tuổi có người yêu, em nên nói chuyện với con về tình dục an toàn thế nào",
     PC, "con gái em 16 tuổi có người yêu hơn 10 tuổi, hắn bắt con bé gửi ảnh nóng, con không chịu thì hắn đánh"),
    (O, "mấy tuổi thì nên cho con ngủ riêng phòng hả các mẹ",
     PC, "con tôi ngủ riêng phòng từ năm ngoái, dạo này sáng nào cũng khóc, cháu nói ông ngoại đêm nào cũng vào nằm cùng và sờ soạng"),
    (O, "con e hay xem youtube trc khi ngu, co hai mat ko ac",
     PC, "con e xem youtube co ng la nhan tin lam quen, bat con bat cam xong cu doi con coi do, e moi phat hien"),
    (O, "con tôi lên cấp 2 hay cáu gắt với bố mẹ, có phải dậy thì không",
     PC, "con tôi lên cấp 2 hay cáu gắt, tôi phát hiện bố nó ngày nào cũng chửi nó là đồ ăn hại, đồ vô dụng, cháu bắt đầu tự cào tay"),
    (O, "đi công tác xa vài ngày thì gửi con cho ai trông là hợp lý",
     PC, "tôi đi công tác xa một tuần, về mới biết chồng bỏ con ở nhà một mình không cơm nước, con 7 tuổi phải sang xin ăn nhà hàng xóm"),
    (O, "con trai mình 11 tuổi vẫn đòi tắm chung với em gái, có nên cho không",
     PC, "con mình 11 tuổi kể chú út hay đòi tắm chung với cháu và bắt cháu sờ người chú, mình phải báo ai ạ"),
    (O, "con minh choi bong da bi trat co chan, chuom da hay chuom nong a",
     PC, "con minh ve nha bi trat co chan, mat sung, ban dau noi do choi bong nhung sau moi khoc ke la bi bo duong da vi ve muon"),
    (O, "bé nhà mình 3 tuổi cứ thấy người lạ là khóc, làm sao cho bé dạn hơn",
     PC, "bé nhà mình 3 tuổi cứ thấy bảo mẫu là khóc thét, bám chặt mẹ, hôm nay xem camera thấy bảo mẫu bịt miệng và đánh vào đầu bé"),
    (O, "có nên đọc trộm tin nhắn của con gái 14 tuổi không các mẹ",
     PC, "mình đọc tin nhắn của con gái 14 tuổi, thấy một người đàn ông lạ trên mạng gọi con là vợ, hẹn gặp ở khách sạn tối thứ bảy này"),
    (O, "con tôi bị cận, cô giáo bảo nên cho ngồi bàn đầu, có nên xin cô không",
     PC, "con tôi ngồi bàn đầu hay bị thầy dạy toán gọi ở lại sau giờ học, cháu về kể thầy kéo ngồi lên đùi rồi luồn tay vào áo"),
    (O, "con trai toi 16 tuoi hay thuc khuya choi game, lam sao de con ngu som",
     PC, "con trai toi 16 tuoi thuc khuya, dem qua toi thay con dung tren lan can tang 5, noi song chang de lam gi"),
    (O, "con gái mình vào lớp 6 bắt đầu đòi đi học thêm nhiều môn, có nên cho không",
     PC, "con gái mình lớp 6 tự nhiên sợ đi học thêm nhà cô, hỏi mãi mới nói chồng cô giáo hay kéo vào phòng riêng"),
]

# B. news / rumours about other people's case vs a witness telling about a child they know (30)
NEWS = [
    (O, "đọc báo thấy vụ bé gái ở Bình Dương bị bố dượng bạo hành, sao người ta ác vậy",
     WIT, "bé gái nhà bên cạnh em ngày nào cũng bị bố dượng bạo hành, tối qua em nghe tiếng khóc thét với tiếng đánh"),
    (O, "tin trên tivi nói một cô giáo mầm non bị đình chỉ vì đánh trẻ, mình xem mà sợ",
     WIT, "mình đi đón cháu, tận mắt thấy cô giáo mầm non ở lớp cháu đánh vào đầu một bé vì bé làm đổ cơm"),
    (O, "hôm nay lớp em thảo luận bài báo về một bạn học sinh bị đánh hội đồng ở Hà Nội",
     WIT, "hôm nay bạn Minh lớp em bị mấy đứa lớp 9 đánh hội đồng sau nhà xe, bạn ấy bảo em đừng kể với ai"),
    (O, "xem phóng sự về trẻ em bị bỏ đói ở vùng cao, tôi muốn quyên góp thì liên hệ đâu",
     WIT, "ở xóm tôi có hai đứa trẻ bố mẹ đi làm xa, bị bỏ đói mấy ngày, đứa bé nhất gầy trơ xương, tôi phải làm gì"),
    (O, "tren mang dang chia se vu mot ban nu bi lo anh nong, moi nguoi binh luan ac qua",
     WIT, "ban nu lop minh bi thang ban trai cu tung anh nong vao nhom lop, ban ay khoc ca ngay khong dam den truong"),
    (O, "trên báo có bài về một ông hàng xóm xâm hại bé gái 6 tuổi, bị tuyên bao nhiêu năm tù vậy",
     WIT, "ông hàng xóm nhà em hay gọi bé Na 6 tuổi sang nhà cho kẹo rồi đóng cửa, hôm qua bé chạy ra mặt tái mét"),
    (O, "phim tài liệu tối qua nói về trẻ em bị lừa qua mạng xã hội, xem xong mình lo lắm",
     WIT, "em họ mình 12 tuổi đang bị một người lạ trên mạng xã hội dụ đi gặp, nó bảo anh kia hứa mua điện thoại"),
    (O, "nghe nói ở trường bên có bạn tự tử vì áp lực thi cử, thương quá",
     WIT, "bạn thân em vừa nhắn là tối nay sẽ tự tử vì áp lực thi cử, em gọi mà bạn không bắt máy"),
    (O, "mình đọc được vụ mẹ kế nhốt con chồng trong chuồng chó, không hiểu sao lại có người như vậy",
     WIT, "mẹ kế của bạn Tú lớp em hay nhốt bạn ấy ngoài ban công cả đêm, sáng nay bạn ấy đến lớp run cầm cập"),
    (O, "báo đăng vụ chú ruột xâm hại cháu gái, bình luận toàn người đòi xử nặng",
     WIT, "cháu gái tôi 9 tuổi vừa thì thầm với tôi là chú ruột của nó hay sờ vào người nó, nó sợ không dám nói với bố mẹ"),
    (O, "coi tiktok thay clip thang be bi ban cung lop dap vao dau, kinh that",
     WIT, "thang be lop 6 truong em bi ban cung lop dap vao dau trong wc, em dung ngoai nghe het ma ko dam vao"),
    (O, "nghe tin mot be bi bo quen tren xe dua don, truong do bi xu ly the nao roi",
     WIT, "em la tai xe xe dua don, sang nay thay mot be lop 1 tren xe nguoi day vet roi, hoi thi be bao bo danh vi dai dam"),
    (O, "trên nhóm phụ huynh có người share bài về bảo mẫu đánh trẻ, có thật không vậy",
     WIT, "chị bảo mẫu nhà hàng xóm tôi đánh thằng bé 2 tuổi ngoài sân, tôi quay được clip, giờ gửi cho ai"),
    (O, "tối qua thời sự đưa tin về đường dây bán trẻ em qua biên giới",
     WIT, "tối qua em thấy một bé gái ở đầu ngõ bị hai người đàn ông lạ lôi lên xe, bé vừa khóc vừa gọi mẹ"),
    (O, "trong truyện em đọc có một bạn bị bố đánh vì điểm kém, cô giáo bảo viết cảm nghĩ",
     WIT, "bạn cùng bàn em bị bố đánh vì điểm kém, lưng bạn ấy đầy vết lằn, bạn cho em xem rồi bảo đừng nói ai"),
    (O, "phim Hàn mình đang xem có cảnh nữ chính bị bạo lực học đường, diễn thật quá",
     WIT, "trong lớp mình có một bạn nữ bị cả nhóm bạo lực học đường, hôm nay tụi nó đổ nước lau nhà lên người bạn ấy"),
    (O, "doc bao thay co vu thay giao nhan tin gan ghep hoc sinh, so qua",
     WIT, "thay giao chu nhiem lop em nhan tin gan ghep ban Linh, goi ban ay la em yeu, ban ay cho em xem tin nhan roi"),
    (O, "nghe đài nói mỗi năm có hàng nghìn trẻ em bị xâm hại, con số đó có thật không",
     WIT, "tôi là giáo viên, hôm nay một học sinh lớp 3 vẽ tranh có người lớn cởi quần và nói đó là dượng của em"),
    (O, "chuyện cô bé tự làm đau mình trong phim 13 Reasons Why có phải dựa trên chuyện thật không",
     WIT, "cô bé ngồi cạnh mình trong lớp hay tự làm đau mình, mình thấy cổ tay bạn ấy toàn vết rạch mới"),
    (O, "trên facebook đang lan truyền vụ một bé bị bố ruột đánh gãy tay",
     WIT, "bé con nhà trọ cạnh phòng tôi bị bố ruột đánh gãy tay, chủ trọ bảo đừng xen vào chuyện nhà người ta"),
    (O, "có vụ một huấn luyện viên bóng đá bị tố xâm hại học trò, đọc mà rùng mình",
     WIT, "huấn luyện viên đội bóng của em hay bắt bạn Khoa ở lại một mình phòng thay đồ, bạn ấy bảo bị thầy sờ mó"),
    (O, "cô giáo giao bài thuyết trình về quyền trẻ em, em muốn lấy ví dụ vụ bé bị bỏ rơi ở chùa",
     WIT, "đứa bé nhà đầu ngõ bị bỏ ở nhà một mình cả tuần, em mang cơm sang thì thấy nó nằm trên nền nhà sốt hầm hập"),
    (O, "hnay trên grp lớp share vụ 1 bạn trường khác bị quay clip trong wc, ghê v",
     WIT, "hnay thằng Huy lớp t bị tụi lớp bên lột áo quay clip trong wc rồi đăng lên grp, nó ko dám đi học nữa"),
    (O, "đọc tin một bé bị người yêu của mẹ bạo hành đến tử vong, tôi không ngủ được",
     WIT, "người yêu của mẹ đứa cháu tôi hay đánh nó, hôm qua tôi sang thấy mắt nó bầm tím và sưng húp"),
    (O, "nghe kể có chương trình nhận nuôi trẻ bị bố mẹ bỏ rơi, làm sao để đăng ký",
     WIT, "tôi biết một em bé 5 tuổi bị bố mẹ bỏ lại cho bà cố mù lòa trông, bé toàn ăn mì gói sống qua ngày"),
    (O, "mình hay đọc mấy bài về dấu hiệu trẻ bị xâm hại để hiểu thêm",
     WIT, "bé nhà hàng xóm có đủ dấu hiệu bị xâm hại, sợ đàn ông, hay khóc, và bé nói với mình là anh họ bắt cởi đồ"),
    (O, "nguoi ta noi tre bi bo me chui mang thuong xuyen se bi anh huong tam ly, dung khong",
     WIT, "ban than em ngay nao cung bi me chui mang la do con hoang, do ngu, ban ay noi muon bo nha di"),
    (O, "có bài viết về game thủ nhí bị dụ nạp tiền rồi bị tống tiền, ai đọc chưa",
     WIT, "thằng em họ tôi 11 tuổi bị một người quen trong game tống tiền, bắt gửi ảnh khỏa thân không thì tung clip cũ"),
    (O, "trong sách giáo dục công dân có tình huống bạn nhỏ bị ép đi bán vé số đêm khuya",
     WIT, "có một bạn nhỏ ngày nào cũng bán vé số đến nửa đêm gần nhà em, bạn nói ông chú bắt đi, không đủ tiền là bị đánh"),
    (O, "thấy trên báo vụ trẻ bị nhốt trong nhà khi bố mẹ đi làm, cháy nhà không chạy ra được",
     WIT, "bố mẹ bạn Hân đi làm khóa trái cửa nhốt bạn ấy với em bé trong nhà từ sáng đến tối, bạn ấy nói qua cửa sổ là đói lắm"),
]

# C. a child's general "what if" safety question vs the child telling what is happening (30)
WHATIF = [
    (O, "nếu có người lớn bảo em giữ bí mật về chuyện chạm vào người thì em phải làm sao ạ",
     SEX, "có người lớn bảo em giữ bí mật về chuyện chú ấy chạm vào người em, em không biết phải làm sao"),
    (O, "lỡ ai đó đòi chơi trò cởi quần áo thì mình nên nói gì",
     SEX, "anh họ em hay đòi chơi trò cởi quần áo mỗi khi bố mẹ vắng nhà, em không muốn nhưng ảnh bảo ai cũng chơi vậy"),
    (O, "neu thay giao goi em o lai mot minh trong phong thi co nen o khong",
     SEX, "thay giao goi em o lai mot minh trong phong roi khoa cua, thay so vao nguc em, em so lam"),
    (O, "giả sử ai đó sờ vào chỗ kín của mình khi đang ngủ thì có phải là xâm hại không",
     SEX, "đêm qua em đang ngủ thì bố dượng sờ vào chỗ kín của em, em giả vờ ngủ mà run lắm"),
    (O, "nếu người lớn cho mình xem phim người lớn thì mình nên làm gì",
     SEX, "ông hàng xóm cho em xem phim người lớn trên điện thoại rồi bắt em làm theo, em sợ không dám về nhà kể"),
    (O, "nếu bố mẹ đánh con thì con có được gọi 111 không",
     PHY, "bố em đánh em bằng gậy tối qua, lưng em còn tím, em có được gọi 111 không"),
    (O, "lỡ bị tát thì nên chườm gì cho đỡ sưng",
     PHY, "mẹ kế tát em chảy máu mũi, mặt em sưng lên rồi, em phải chườm gì cho đỡ"),
    (O, "neu bi thay co danh o truong thi e nen ke vs ai",
     PHY, "e bi co chu nhiem danh bang thuoc ke vao tay sung vu het, e ko biet ke vs ai"),
    (O, "nếu bị người nhà đánh thì trẻ con có được sang nhà bạn ngủ nhờ không ạ",
     PHY, "chú em say rượu đánh em với em gái, tối nay em sang nhà bạn ngủ nhờ, có nên về không"),
    (O, "nếu bố mẹ hay chửi con cái thì có bị coi là bạo hành tinh thần không ạ",
     EMO, "bố mẹ em suốt ngày chửi em là đồ vô dụng, đồ ăn hại, em nghe mãi đến mức tin là thật"),
    (O, "giả sử mẹ so sánh mình với con nhà người ta thì nên trả lời sao cho mẹ không giận",
     EMO, "mẹ ngày nào cũng so sánh em với con nhà người ta, bảo thà không đẻ ra em, em khóc mỗi tối"),
    (O, "neu bo me duoi con ra khoi nha thi tre con co quyen gi khong",
     EMO, "bo em doa duoi em ra khoi nha, bat em quy ngoai cong ca toi va noi em la noi nhuc cua ca nha"),
    (O, "nếu bị thầy cô nói xấu trước cả lớp thì học sinh có được phản ánh không ạ",
     EMO, "cô giáo nói xấu em trước cả lớp, gọi em là đồ óc lợn, ngày nào cũng bắt em đứng lên cho cả lớp cười"),
    (O, "nếu bố mẹ đi làm xa thì trẻ con ở nhà một mình được mấy ngày ạ",
     NEG, "bố mẹ em đi làm xa cả tháng rồi, em ở nhà một mình với em gái 4 tuổi, hết tiền mua gạo rồi"),
    (O, "lỡ bị ốm mà không có người lớn đưa đi khám thì mình làm gì",
     NEG, "em sốt 3 ngày rồi mà không có ai đưa đi khám, mẹ đi đánh bài suốt đêm không về"),
    (O, "neu nha het do an ma bo me chua ve thi nen goi cho ai",
     NEG, "nha em het do an tu hom qua, bo me di nhau chua ve, em voi em trai doi lam"),
    (O, "nếu bị bạn cùng lớp trêu chọc thì nên kể với cô hay tự giải quyết",
     BUL, "bạn cùng lớp trêu chọc em ngày nào cũng vậy, giật tóc, gọi em là con lợn béo, em kể với cô rồi mà không ai giúp"),
    (O, "lỡ bị cả lớp tẩy chay thì phải làm thế nào cho đỡ buồn",
     BUL, "em đang bị cả lớp tẩy chay, không ai ngồi cạnh, tụi nó lập nhóm riêng nói xấu em, em buồn lắm"),
    (O, "nếu bị ng ta lập page confession nói xấu thì báo cáo sao ạ",
     BUL, "mấy đứa lớp e lập page confession nói xấu e, đăng ảnh e kèm câu chửi, cả trường vào cmt"),
    (O, "nếu bị đàn anh chặn đường đòi tiền thì có nên đưa không",
     BUL, "mấy anh lớp 9 chặn đường đòi tiền em mỗi sáng, không đưa là bị đấm vào bụng"),
    (O, "nếu người quen trên mạng đòi gửi ảnh riêng tư thì từ chối sao cho khéo",
     ONL, "người quen trên mạng cứ đòi em gửi ảnh riêng tư, em lỡ gửi 1 tấm rồi giờ anh ta dọa gửi cho bố mẹ em"),
    (O, "lỡ có người lạ nhắn tin làm quen trên Facebook thì có nên trả lời không",
     ONL, "có người lạ nhắn tin làm quen trên facebook, khen em xinh rồi bắt em bật cam cởi áo, em đã làm theo rồi"),
    (O, "neu ban game hen gap ngoai doi thi co nen di khong a",
     ONL, "ban game hen gap em ngoai doi toi nay, anh ay bao khong duoc noi voi ai va se dua em di khach san"),
    (O, "giả sử có ai ghép mặt mình vào ảnh nóng thì phải làm sao",
     ONL, "có người ghép mặt em vào ảnh nóng rồi nhắn tin đòi tiền, không trả thì đăng lên nhóm trường"),
    (O, "nếu thấy buồn quá thì làm gì cho tâm trạng khá hơn ạ",
     SH, "em buồn quá, mấy hôm nay em lấy dao rạch tay cho tâm trạng khá hơn"),
    (O, "nếu lỡ uống nhầm thuốc ngủ của mẹ thì có nguy hiểm không",
     SH, "em định uống hết vỉ thuốc ngủ của mẹ cho xong, em mệt mỏi lắm rồi"),
    (O, "neu thay ko ai hieu minh thi nen tam su vs ai",
     SH, "ko ai hieu minh het, minh chi muon chet di cho xong, dem nao cung nghi cach"),
    (O, "nếu có người lạ đi theo mình về nhà thì nên chạy vào đâu",
     DNG, "có người lạ đang đi theo em về nhà, em sợ quá không biết nên chạy vào đâu"),
    (O, "giả sử trong nhà có người say rượu đập phá thì trẻ con nên trốn ở đâu cho an toàn",
     DNG, "bố em đang say rượu đập phá, cầm dao đòi chém mẹ, em với em trai trốn trong nhà tắm rồi, cứu em với"),
    (O, "nếu bị nhốt trong phòng thì gọi cứu hộ số mấy ạ",
     DNG, "em đang bị mẹ kế nhốt trong phòng từ hôm qua, không có nước uống, gọi cứu hộ số mấy ạ"),
]

# D. a child asking what a word means vs the child using that word about themselves (20)
WORDS = [
    (W, "cho em hỏi thế nào thì được gọi là xâm hại tình dục",
     SEX, "em nghĩ em bị xâm hại tình dục, chú em bắt em cởi đồ rồi sờ khắp người"),
    (W, "grooming là gì vậy, em thấy trong bài học",
     ONL, "em nghĩ em đang bị grooming, anh trên mạng tặng quà suốt rồi giờ đòi em gửi ảnh không mặc đồ"),
    (W, "bạo hành là như thế nào ạ, cô giáo nhắc trong giờ sinh hoạt",
     PHY, "em bị bạo hành, mẹ em hay lấy móc áo quất vào chân em mỗi khi em làm sai"),
    (W, "bao luc hoc duong la gi vay a",
     BUL, "em bi bao luc hoc duong, may dua lop em ngay nao cung keo em vao nha ve sinh tat"),
    (W, "tự hại là gì, em nghe chị em nói",
     SH, "em hay tự hại, tối nào em cũng lấy compa cào vào đùi"),
    (W, "bỏ bê trẻ em nghĩa là sao ạ",
     NEG, "em nghĩ em bị bỏ bê, bố mẹ em chả bao giờ nấu cơm, quần áo em mặc cả tuần không ai giặt"),
    (W, "sextortion là gì vậy mn",
     ONL, "em đang bị sextortion, người ta có ảnh nóng của em và đòi 2 triệu, không thì gửi cho cả lớp"),
    (W, "ấu dâm nghĩa là gì ạ, em đọc trên mạng thấy",
     SEX, "em đọc trên mạng về ấu dâm, em nghĩ ông bác em là vậy vì ông hay bắt em ngồi lòng và sờ vào quần em"),
    (W, "body shaming là gì v ạ",
     BUL, "tụi lớp t body shaming t suốt, gọi t là con voi, chụp lén t đăng lên story"),
    (W, "thao túng tâm lý là gì ạ",
     EMO, "em nghĩ mẹ kế đang thao túng tâm lý em, dì nói ai cũng ghét em và bắt em xin lỗi vì đã sinh ra"),
    (W, "trầm cảm là gì ạ, có phải chỉ là buồn thôi không",
     SH, "em bị trầm cảm lâu rồi, có lúc em chỉ muốn nhảy lầu cho xong"),
    (W, "lạm dụng nghĩa là gì vậy ạ",
     SEX, "em bị lạm dụng, anh họ em làm chuyện đó với em mỗi lần về quê mà bảo là bí mật của hai anh em"),
    (W, "bi bo roi nghia la sao a",
     NEG, "em bi bo roi, bo me gui em cho ba noi roi bien mat, ba cung khong cho em an, em phai di xin com"),
    (W, "bắt cóc nghĩa là gì ạ",
     DNG, "có người đang định bắt cóc em, họ kéo tay em lên xe, em chạy vào được cửa hàng rồi, giờ phải làm sao"),
    (W, "quấy rối là gì ạ",
     SEX, "em bị quấy rối, ông xe ôm chở em đi học hay sờ đùi em với nói mấy câu bậy"),
    (W, "ảnh nhạy cảm là ảnh như thế nào ạ",
     ONL, "em lỡ gửi ảnh nhạy cảm cho người quen trên mạng, giờ họ bắt em quay video, không thì tung lên"),
    (W, "cô lập trong lớp nghĩa là gì ạ",
     BUL, "em bị cô lập trong lớp, lớp trưởng cấm mọi người nói chuyện với em, ai nói với em là bị đuổi khỏi nhóm"),
    (W, "ton thuong tinh than la sao a",
     EMO, "em bi ton thuong tinh than, ngay nao bo cung goi em la do ngu, do rac ruoi truoc mat ho hang"),
    (W, "ngược đãi là như thế nào",
     PHY, "em bị ngược đãi, bố dượng bắt em quỳ trên vỏ sầu riêng và dí thuốc lá vào tay em"),
    (W, "camgirl là gì ạ, bạn em nói trên mạng",
     ONL, "có người trên mạng rủ em làm camgirl, trả tiền để em cởi đồ trước cam, em đã làm 2 lần rồi"),
]

# E. sport / game talk with physical words vs real violence (20)
SPORT = [
    (O, "hôm nay đá bóng em bị thằng bạn đạp vào ống đồng, may có đeo bọc ống đồng",
     PHY, "hôm nay bố đạp vào ống đồng em vì em về muộn, chân em tím bầm không đi được"),
    (O, "tối qua chơi liên quân em bị team địch đánh hội đồng, thua tức ghê",
     BUL, "tối qua em bị mấy anh lớp trên đánh hội đồng ở bãi đất trống, mặt em giờ vẫn còn sưng"),
    (O, "học võ karate thầy bắt đấm bao cát 100 cái, tay em đỏ hết",
     PHY, "chú em bắt em đứng yên cho chú đấm như đấm bao cát, tay với bụng em đỏ hết"),
    (O, "choi bong ro bi bong dap vao mat, mat bam tim luon",
     PHY, "me ke nem coc vao mat em, mat bam tim luon, di hoc ai hoi em cung noi do choi bong ro"),
    (O, "trận đấu vật hôm qua anh kia bẻ tay đối thủ, trọng tài phạt luôn",
     PHY, "hôm qua anh họ bẻ tay em đến trật khớp, rồi dọa em nói với bà là tự ngã"),
    (O, "em chơi pubg bị bắn vỡ đầu liên tục, cay thật sự",
     PHY, "bố em dọa bắn vỡ đầu em bằng súng hơi, còn đập báng súng vào đầu em, em sợ lắm"),
    (O, "tập judo em bị quật ngã mấy lần, lưng hơi ê ẩm",
     PHY, "bố dượng quật em ngã xuống sàn mấy lần, lưng em ê ẩm cả tuần nay"),
    (O, "đá cầu bị bạn đá trúng bụng, đau mà vẫn cười",
     PHY, "thầy thể dục đá vào bụng em trước cả lớp vì em chạy chậm, em đau mà không dám khóc"),
    (O, "chơi game gta em toàn lấy gậy bóng chày đập người ta, vui phết",
     PHY, "ông nội em lấy gậy đập vào lưng em mỗi khi em quên làm việc nhà, có hôm gậy gãy luôn"),
    (O, "tập boxing bị đấm trúng mũi chảy máu, huấn luyện viên bảo bình thường",
     PHY, "bố đấm trúng mũi em chảy máu, mẹ bảo bình thường, con hư thì phải bị đánh"),
    (O, "nay đá bóng bị tụi lớp bên chơi xấu, đạp chân t sưng vù",
     PHY, "nay bố t say về đạp chân t sưng vù, t ko đi học đc"),
    (O, "chơi kéo co em bị dây cứa rát tay, tuột hết da",
     PHY, "mẹ kế lấy dây trói tay em vào chân giường, dây cứa tuột hết da cổ tay"),
    (O, "chơi đuổi bắt ngoài sân bị ngã đập đầu vào tường, sưng một cục",
     PHY, "chú em túm tóc em đập đầu vào tường, sưng một cục to, em chóng mặt lắm"),
    (O, "combo bóp cổ trong game đối kháng này khó làm quá",
     PHY, "bố em bóp cổ em đến không thở được vì em cãi, em sợ bố lại làm nữa"),
    (O, "tap taekwondo bi da trung canh suon, tho hoi dau",
     PHY, "anh trai em da vao canh suon em vi tranh dieu khien tv, tho cung dau, bo me ko noi gi"),
    (O, "tập bóng chuyền đỡ bóng nhiều quá cổ tay tím hết",
     PHY, "cô giáo đánh thước vào cổ tay vì em viết xấu, cổ tay tím hết cả tuần"),
    (O, "em chơi bắn súng nước bị bắn ướt hết người, trời lạnh run luôn",
     PHY, "mẹ dội nước lạnh ướt hết người em rồi bắt đứng ngoài trời, em lạnh run cả đêm"),
    (O, "chơi vật tay với anh trai thua hoài, cổ tay đau quá trời",
     PHY, "anh trai vặn tay em ra sau lưng đến khi em khóc, cổ tay đau quá trời, bố mẹ bảo anh em đùa thôi"),
    (O, "tối qua xem trận MMA, anh kia bị đánh bầm dập mà vẫn đứng dậy, đỉnh thật",
     PHY, "tối qua em bị bố đánh bầm dập vì làm vỡ bát, sáng nay vẫn phải đứng dậy đi học"),
    (O, "tụi t chơi trò đánh trận giả trong rừng, bị ném đá trúng đầu, hơi đau mà vui",
     BUL, "tụi lớp t ném đá vào đầu t trên đường về, chảy máu luôn, tụi nó còn quay video cười"),
]

# F. alarming idioms vs real self-harm thoughts (15)
IDIOM = [
    (O, "hôm nay em té trước mặt crush, muốn chết vì ngượng luôn",
     SH, "hôm nay em bị cả lớp cười, em muốn chết thật, tối nay em định uống thuốc"),
    (O, "mai thi toán mà chưa học gì, chết mất thôi",
     SH, "mai thi mà em không học nổi nữa, em chỉ muốn chết đi, không muốn tỉnh dậy nữa"),
    (O, "nóng quá chết mất, điều hòa nhà t hỏng r",
     SH, "t mệt mỏi quá, chết quách đi cho xong, t đã viết thư để lại r"),
    (O, "mẹ mà biết em làm vỡ bình hoa là em chết chắc",
     SH, "mẹ mà biết em trượt lớp 10 thì em sẽ tự tử, em chuẩn bị dây rồi"),
    (O, "buồn cười chết mất, clip con mèo nhảy hụt xem mãi không chán",
     SH, "buồn chết mất, đêm nào em cũng phải rạch tay mới ngủ được"),
    (O, "đói muốn xỉu, cả ngày chưa ăn gì vì ôn thi",
     SH, "cả ngày em không ăn gì, em cố nhịn cho đến chết vì em ghét bản thân"),
    (O, "met muon die luon, hoc them 3 ca lien",
     SH, "met muon die that, em khong muon song nua, toi nay em se nhay cau"),
    (O, "ngượng chín mặt, em gọi nhầm cô giáo là mẹ trước cả lớp, muốn độn thổ luôn",
     SH, "cả lớp cười em, em muốn biến mất khỏi thế giới này, em đã nghĩ cách kết thúc mấy ngày nay"),
    (O, "chán muốn chết, nghỉ hè ở nhà chẳng có gì làm",
     SH, "chán sống lắm rồi, ở nhà chẳng ai quan tâm, em nghĩ chết đi thì tốt hơn"),
    (O, "sợ chết khiếp khi xem phim ma tối qua, không dám đi vệ sinh",
     SH, "em không sợ chết nữa, tối qua em lấy dao lam cắt tay sâu hơn mọi khi"),
    (O, "bài tập nhiều vl, chắc t chết ngộp trong đống đề mất",
     SH, "t ko chịu nổi nữa, chắc t tự kết liễu thôi, đống áp lực này ngộp thở quá"),
    (O, "thua game tức muốn đập đầu vào tường",
     SH, "mỗi khi bị bố mắng em lại đập đầu vào tường đến chảy máu, em không dừng được"),
    (O, "hết hạn nộp bài rồi, chắc em nhảy sông mất thôi haha",
     SH, "em đang đứng ở cầu, em định nhảy sông thật, không đùa đâu"),
    (O, "ăn lẩu cay quá muốn chết luôn, nước mắt nước mũi tèm lem",
     SH, "em khóc tèm lem cả đêm, em muốn chết luôn, em vừa uống mấy viên thuốc của bà rồi"),
    (O, "xem bong da doi nha thua tuc chet di duoc",
     SH, "em tuc chet di duoc, khong ai tin em, em ghet ban than, em toan cao tay den chay mau"),
]

GROUPS = {"parent": PARENT, "news_witness": NEWS, "whatif": WHATIF, "word_meaning": WORDS,
          "sport_game": SPORT, "idiom": IDIOM}
PAIRS = [p for g in GROUPS.values() for p in g]

HEADER = """\
version: "3.1"
# CANDIDATE, NOT TRAINED ON: paired voices. 150 pairs (300 examples); each pair is one benign
# message and one disclosure in the SAME voice (same speaker type, many shared words), so the model
# learns the difference rather than the voice: parent general question vs parent reporting their own
# child hurt (35); news/films/rumours about other people's cases vs a witness telling about a child
# they know (30); a child's "what if" safety question vs the child telling what is happening to them
# (30); a child asking what a word means vs the child using that word about themselves (20);
# sport/game talk with physical words vs real violence (20); alarming idioms ("chết mất", "muốn chết
# vì ngượng") vs real self-harm thoughts (15). The YAML groups by intent; the pairing is kept in
# nlu/candidates/paired_voices_pairs.py, which generates this file. Mixed on purpose: full tone
# marks, no tone marks, teencode. Written fresh: never copy from or into tests/ or nlu/dev/.
nlu:
"""


def to_yaml(pairs):
    order, by = [], {}
    for bi, bt, di, dt in pairs:
        for i, t in ((bi, bt), (di, dt)):
            if i not in by:
                order.append(i)
                by[i] = []
            by[i].append(t)
    out = [HEADER]
    for i in order:
        out.append(f"- intent: {i}\n  examples: |\n")
        out.extend(f"    - {t}\n" for t in by[i])
    return "".join(out)


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "paired_voices.yml"
    with open(path, "w", encoding="utf-8") as f:
        f.write(to_yaml(PAIRS))
