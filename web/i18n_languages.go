package web

// russianLanguages is the Russian of the pages of language versions
// (issue 27): languages_page.go, translations_page.go and their
// templates.
var russianLanguages = map[string]string{
	"Languages":                        "Языки",
	"Translation":                      "Перевод",
	"Translations":                     "Переводы",
	"%d current, %d stale, %d missing": "актуальных: %d, устаревших: %d, отсутствующих: %d",
	"Current":                          "Актуальные",
	"Stale":                            "Устарел",
	"Missing":                          "Отсутствует",
	"Read":                             "Читать",
	"original":                         "оригинал",
	"Every language version is in step with its original.": "Все языковые версии соответствуют оригиналу.",
	"Language (a tag such as ru or zh)":                    "Язык (код, например ru или zh)",
	"Language of the text":                                 "Язык текста",
	"Languages of version %d (the head)":                   "Языки редакции %d (текущей)",
	"Original (%s)":                                        "Оригинал (%s)",
	"PDF side by side":                                     "PDF в две колонки",
	"Send the text":                                        "Отправить текст",
	"Send the translation":                                 "Отправить перевод",
	"Send the whole text in a language":                    "Отправить весь текст на языке",
	"Side by side: %s and %s":                              "Параллельно: %s и %s",
	"Text in:":                                             "Текст на языке:",
	"To translate into %s":                                 "Требует перевода на %s",
	"Translation into %s":                                  "Перевод на %s",
	"The original's change since the translation:":         "Изменение оригинала после перевода:",
	"not translated yet.":                                  "ещё не переведено.",
	"the original changed since this was translated.":      "оригинал изменился после перевода.",
	"with its change since the translation":                "с его изменением после перевода",
	"The language versions of the texts under negotiation with provisions that are stale (the original changed since they were translated) or missing (not translated yet), in the head version of each text.":                                                                                                                          "Языковые версии обсуждаемых текстов, в текущей редакции которых есть устаревшие (оригинал изменился после перевода) или отсутствующие (ещё не переведённые) положения.",
	"The text exists in its original language and in each language version, provision by provision. A translation is current, stale (the original changed since it was translated) or missing (not translated yet); a text goes to adoption only when every language is current.":                                                       "Текст существует на языке оригинала и в каждой языковой версии, положение за положением. Перевод бывает актуальным, устаревшим (оригинал изменился после перевода) или отсутствующим (ещё не переведён); текст выносится на принятие, только когда все языковые версии актуальны.",
	"The whole text of version %d (the head) in the house markup (# headings, numbered paragraphs, (a) items, a blank line between provisions). It is aligned with the original by number and order; where a provision does not match, nothing is stored and each is named. Sent again, it replaces that language version of the head.": "Весь текст редакции %d (текущей) в принятой разметке (# заголовки, нумерованные пункты, подпункты (a), пустая строка между положениями). Он сопоставляется с оригиналом по номерам и порядку; если какое-либо положение не совпадает, ничего не сохраняется и каждое такое положение названо. Повторная отправка заменяет эту языковую версию текущей редакции.",
}
