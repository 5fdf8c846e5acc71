package web

// The Russian of the live parts (issue 24): the screen, the focus, the
// notices of live.js (which the pages give it in their language).
var russianLive = map[string]string{
	"In the meeting":               "На заседании",
	"Under discussion: %s":         "Обсуждается: %s",
	"Nothing is under discussion.": "Ни одно положение не обсуждается.",
	"Go to it":                     "Перейти к нему",
	"Follow the chair (scroll to the provision under discussion)": "Следовать за председателем (прокручивать к обсуждаемому положению)",
	"Version %s has been published.":                              "Опубликована редакция %s.",
	"A new proposal from %s.":                                     "Новое предложение: %s.",
	"Reload the page to see it":                                   "Обновите страницу, чтобы её увидеть",
	"See the proposal":                                            "Открыть предложение",
	"Dismiss":                                                     "Скрыть",
	"The text below is up to date.":                               "Текст ниже обновлён.",
	"Live updates interrupted; reconnecting…":                     "Обновления прерваны; переподключение…",
	"Provision under discussion":                                  "Обсуждаемое положение",
	"None":                                                        "Нет",
	"Set the focus":                                               "Вынести на обсуждение",
	"Open the screen (projection)":                                "Открыть экран (для проектора)",
	"Screen":                                                      "Экран",
	"Back to the document":                                        "К документу",
	"Discuss %s":                                                  "Обсуждать %s",
	"Clear the focus":                                             "Снять с обсуждения",
	"Chair: choose a provision's number to put it under discussion; with the script, the keys → and ← (or Page Down and Page Up) move to the next and the previous provision.": "Председатель: выберите номер положения, чтобы вынести его на обсуждение; со сценарием клавиши → и ← (или Page Down и Page Up) переходят к следующему и предыдущему положению.",
	"Delete":             "Исключить",
	"Move after %s":      "Перенести после %s",
	"Move to the start":  "Перенести в начало",
	"New:":               "Новое:",
	"co-sponsored by %s": "соавторы: %s",
}

// liveActions names the live parts' audit actions, in English and
// Russian.
var liveActions = map[string][2]string{
	"focus.set":      {"Provision put under discussion", "Положение вынесено на обсуждение"},
	"focus.clear":    {"Discussion focus cleared", "Обсуждаемое положение снято"},
	"webhook.create": {"Webhook endpoint registered", "Зарегистрирован адрес веб-хука"},
	"webhook.delete": {"Webhook endpoint removed", "Адрес веб-хука удалён"},
}
