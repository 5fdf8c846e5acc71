package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// Lang is the interface language of a request: "en" or "ru".
type Lang string

// Languages of the interface.
var languages = []Lang{"en", "ru"}

// T translates an English interface string, formatting args into it.
// Missing translations fall back to English. (Messages of the service's
// errors stay in the service's words, as in the API.)
func (l Lang) T(key string, args ...any) string {
	s := key
	if l == "ru" {
		for _, block := range russianBlocks {
			if t, ok := block[key]; ok {
				s = t
				break
			}
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// russianBlocks are the Russian dictionaries: the workspace's first one
// (russian), then one per feature, each in its own file.
var russianBlocks = []map[string]string{russian, russianLive, russianPositions, russianNumbers, russianWorkspace, russianLanguages}

// actions names the audit trail's actions in words, in English and
// Russian; an action not listed is shown as recorded.
var actions = map[string][2]string{
	"translation.text":                {"Whole text in a language sent", "Отправлен весь текст на языке"},
	"translation.provision":           {"Translation of a provision sent", "Отправлен перевод положения"},
	"document.create":                 {"Document created", "Документ создан"},
	"version.create":                  {"New version", "Новая редакция"},
	"version.renumber":                {"Provisions renumbered", "Положения перенумерованы"},
	"merge":                           {"Proposals merged into a new version", "Поправки включены в новую редакцию"},
	"provision.status":                {"Provision status set", "Установлен статус положения"},
	"proposal.create":                 {"New proposal", "Новая поправка"},
	"proposal.edit":                   {"Proposal edited", "Поправка изменена"},
	"proposal.withdraw":               {"Proposal withdrawn", "Поправка отозвана"},
	"proposal.cosponsor":              {"Proposal co-sponsored", "К поправке присоединился соавтор"},
	"proposal.comment":                {"Comment on a proposal", "Комментарий к поправке"},
	"proposal.reject":                 {"Proposal rejected", "Поправка отклонена"},
	"proposal.accepted":               {"Proposal accepted", "Поправка принята"},
	"proposal.accepted-modified":      {"Proposal accepted with changes", "Поправка принята с изменениями"},
	"proposal.obsolete":               {"Proposal obsolete", "Поправка устарела"},
	"proposal.merged-while-withdrawn": {"Proposal withdrawn while being merged", "Поправка отозвана во время включения"},
	"proposal.numbered":               {"Earlier proposals numbered", "Пронумерованы ранее внесённые поправки"},
	"adoption.open":                   {"Adoption round opened", "Открыта процедура принятия"},
	"adoption.consent":                {"Joined consensus", "Присоединение к консенсусу"},
	"adoption.objection":              {"Objection", "Возражение"},
	"adoption.adopted":                {"Text adopted", "Текст принят"},
	"adoption.failed":                 {"Adoption round failed", "Процедура принятия не состоялась"},
	"adoption.not_agreed":             {"Silence procedure ended without adoption: the text was not agreed", "Процедура умолчания завершилась без принятия: текст не согласован"},
	"adoption.superseded":             {"Adoption round superseded by a new version", "Процедура принятия прервана новой редакцией"},
	"refused.adopted":                 {"Refused: the text is adopted", "Отказано: текст принят"},
	"position.record":                 {"Position recorded", "Позиция записана"},
	"position.confirm":                {"Position confirmed on the current text", "Позиция подтверждена по текущей редакции"},
	"position.withdraw":               {"Position withdrawn", "Позиция отозвана"},
}

// Action names an audit action in words.
func (l Lang) Action(a string) string {
	t, ok := actions[a]
	if !ok {
		t, ok = liveActions[a]
	}
	if ok {
		if l == "ru" {
			return t[1]
		}
		return t[0]
	}
	return a
}

// Code is the language code, for the lang attribute.
func (l Lang) Code() string { return string(l) }

// Other returns the other interface language (for the switch).
func (l Lang) Other() Lang {
	if l == "ru" {
		return "en"
	}
	return "ru"
}

// Name is the language's own name.
func (l Lang) Name() string {
	if l == "ru" {
		return "Русский"
	}
	return "English"
}

// language picks the interface language: the cookie the user chose, else
// the best of Accept-Language, else English.
func (s *Server) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		l := Lang("")
		if ck, err := c.Cookie(langCookie); err == nil {
			for _, x := range languages {
				if ck.Value == string(x) {
					l = x
				}
			}
		}
		if l == "" {
			l = fromAcceptLanguage(c.Request().Header.Get("Accept-Language"))
		}
		c.Set(keyLang, l)
		return next(c)
	}
}

func fromAcceptLanguage(h string) Lang {
	best, bestQ := Lang("en"), -1.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		for _, x := range languages {
			if base == string(x) && q > bestQ {
				best, bestQ = x, q
			}
		}
	}
	return best
}

func lang(c echo.Context) Lang {
	if l, ok := c.Get(keyLang).(Lang); ok {
		return l
	}
	return "en"
}

// setLanguage remembers the user's choice of language and goes back to the
// page they were on.
func (s *Server) setLanguage(c echo.Context) error {
	to := c.QueryParam("to")
	for _, x := range languages {
		if to == string(x) {
			c.SetCookie(&http.Cookie{Name: langCookie, Value: to, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure(c)})
		}
	}
	return c.Redirect(http.StatusSeeOther, localPath(c.QueryParam("next")))
}

// localPath returns next if it is a path on this site, else "/documents":
// redirects never leave the site.
func localPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		u.Scheme != "" || u.Host != "" {
		return "/documents"
	}
	return next
}

var russian = map[string]string{
	"Not accepted: please correct what is named below.":                   "Не принято: исправьте то, что указано ниже.",
	"Not possible: it exists already, or the state has changed.":          "Невозможно: это уже существует или состояние изменилось.",
	"Your role does not allow this.":                                      "Ваша роль этого не позволяет.",
	"Not found, or not open to you.":                                      "Не найдено или вам недоступно.",
	"It changed since you opened the page: reload it and try again.":      "С тех пор как вы открыли страницу, данные изменились: обновите её и повторите.",
	"The service is busy or cannot reach its storage: try again shortly.": "Сервис занят или не может обратиться к хранилищу: повторите чуть позже.",
	"Too large.":                             "Слишком большой объём.",
	"Please sign in again.":                  "Войдите снова.",
	"The request could not be read.":         "Запрос не удалось прочитать.",
	"Something went wrong on the server.":    "На сервере произошла ошибка.",
	"Chancery":                               "Канцелярия",
	"Skip to content":                        "Перейти к содержанию",
	"Documents":                              "Документы",
	"Document":                               "Документ",
	"Secretariat":                            "Секретариат",
	"Sign in":                                "Вход",
	"Sign out":                               "Выйти",
	"Signed in as %s":                        "Вы вошли как %s",
	"Language":                               "Язык",
	"Error":                                  "Ошибка",
	"Something went wrong":                   "Что-то пошло не так",
	"Back to the documents":                  "К списку документов",
	"Your session has ended; sign in again.": "Сеанс завершён; войдите снова.",
	"Access token":                           "Токен доступа",
	"Paste the token the secretariat gave you. You do it once: the browser stays signed in until you sign out or the session ends.": "Вставьте токен, выданный секретариатом. Это нужно сделать один раз: браузер останется в системе, пока вы не выйдете или сеанс не истечёт.",
	"Sign-in link": "Ссылка для входа",
	"Continue":     "Продолжить",
	"This one-time link signs you in as the user the secretariat issued it for.": "Эта одноразовая ссылка выполнит вход от имени пользователя, для которого её выдал секретариат.",
	"State":                              "Состояние",
	"Body":                               "Орган",
	"Any":                                "Любое",
	"Filter":                             "Отфильтровать",
	"Symbol":                             "Условное обозначение",
	"Title":                              "Название",
	"Kind":                               "Вид",
	"Head version":                       "Текущая редакция",
	"Updated":                            "Изменён",
	"No documents.":                      "Документов нет.",
	"drafting":                           "подготовка",
	"negotiation":                        "переговоры",
	"adoption":                           "принятие",
	"adopted":                            "принят",
	"withdrawn":                          "отозван",
	"Version %d":                         "Редакция %d",
	"Versions":                           "Редакции",
	"Compilation":                        "Сводка поправок",
	"Propose an amendment":               "Предложить поправку",
	"Merge desk":                         "Стол председателя",
	"Adoption":                           "Принятие",
	"Audit trail":                        "Журнал аудита",
	"Agreed":                             "Согласовано",
	"%s of provisions agreed (%d of %d)": "Согласовано %s положений (%d из %d)",
	"Download PDF":                       "Скачать PDF",
	"Agreed text (PDF)":                  "Согласованный текст (PDF)",
	"Text (PDF)":                         "Текст (PDF)",
	"Since your last visit":              "С вашего последнего посещения",
	"This is your first visit to this document.":      "Вы открываете этот документ впервые.",
	"Nothing has changed since your last visit (%s).": "С вашего последнего посещения (%s) ничего не изменилось.",
	"New version %s":                        "Новая редакция %s",
	"Open proposals":                        "Открытые поправки",
	"Proposals":                             "Поправки",
	"No open proposals.":                    "Открытых поправок нет.",
	"Proposal":                              "Поправка",
	"Delegation":                            "Делегация",
	"Status":                                "Статус",
	"Base":                                  "Основа",
	"Text":                                  "Текст",
	"pending":                               "на рассмотрении",
	"bracketed":                             "в скобках",
	"agreed-ad-ref":                         "согласовано ad ref",
	"agreed":                                "согласовано",
	"open":                                  "открыта",
	"accepted":                              "принята",
	"accepted-modified":                     "принята с изменениями",
	"rejected":                              "отклонена",
	"obsolete":                              "устарела",
	"ad ref":                                "ad ref",
	"Provision status":                      "Статус положения",
	"Set":                                   "Установить",
	"Tracked changes":                       "Изменения",
	"Compare versions":                      "Сравнить редакции",
	"From version":                          "С редакции",
	"To version":                            "По редакцию",
	"Compare":                               "Сравнить",
	"Inline":                                "В тексте",
	"Side by side":                          "Рядом",
	"Changes from version %d to version %d": "Изменения с редакции %d по редакцию %d",
	"Tracked changes (PDF)":                 "Изменения (PDF)",
	"Inserted":                              "Вставлено",
	"Deleted":                               "Удалено",
	"Moved":                                 "Перемещено",
	"Renumbered from %s":                    "Прежний номер %s",
	"Modified":                              "Изменено",
	"by %s":                                 "— %s",
	"inserted text":                         "вставленный текст",
	"deleted text":                          "удалённый текст",
	"Before":                                "Было",
	"After":                                 "Стало",
	"No changes.":                           "Изменений нет.",
	"The word diff hit its limit; some changes are shown as whole-text replacements.": "Пословное сравнение упёрлось в предел; часть изменений показана как замена текста целиком.",
	"Author":  "Автор",
	"Message": "Сообщение",
	"Created": "Создана",
	"Merged":  "Включены поправки",
	"Version %d of %s, %d open proposals by %d delegations": "Редакция %d документа %s: открытых поправок %d от делегаций: %d",
	// English has one and many; the Russian, with the count after a
	// colon, needs no agreement with it.
	"Version %d of %s, %d open proposal by %d delegation":  "Редакция %d документа %s: открытых поправок %d от делегаций: %d",
	"Version %d of %s, %d open proposal by %d delegations": "Редакция %d документа %s: открытых поправок %d от делегаций: %d",
	"Version %d of %s, %d open proposals by %d delegation": "Редакция %d документа %s: открытых поправок %d от делегаций: %d",
	"At the start of the text":                             "В начале текста",
	"Amendment":                                            "Изменение",
	"Insertion after":                                      "Вставка после",
	"Deletion":                                             "Исключение",
	"Move":                                                 "Перемещение",
	"proposed by %s":                                       "предлагает %s",
	"co-sponsored by %s":                                   "соавторы: %s",
	"Justification":                                        "Обоснование",
	"Compilation (PDF)":                                    "Сводка поправок (PDF)",
	"Against its base":                                     "Относительно основы",
	"Against the head":                                     "Относительно текущей редакции",
	"Comments":                                             "Комментарии",
	"No comments.":                                         "Комментариев нет.",
	"Comment":                                              "Комментарий",
	"Add comment":                                          "Добавить комментарий",
	"Co-sponsor":                                           "Присоединиться в качестве соавтора",
	"Withdraw":                                             "Отозвать",
	"Reject":                                               "Отклонить",
	"Reason":                                               "Причина",
	"Co-sponsors":                                          "Соавторы",
	"none":                                                 "нет",
	"Change one provision":                                 "Изменить одно положение",
	"Operation":                                            "Действие",
	"Replace the text of a provision":                      "Заменить текст положения",
	"Insert new text after a provision":                    "Вставить новый текст после положения",
	"Delete a provision":                                   "Исключить положение",
	"Move a provision":                                     "Переместить положение",
	"Provision":                                            "Положение",
	"After (for insert and move)":                          "После (для вставки и перемещения)",
	"the start of the text":                                "начала текста",
	"New text (for replace and insert)":                    "Новый текст (для замены и вставки)",
	"Preview":                                              "Предварительный просмотр",
	"Submit proposal":                                      "Внести поправку",
	"Or paste the whole edited text":                       "Или вставьте весь отредактированный текст",
	"Edited text":                                          "Отредактированный текст",
	"Preview of the tracked changes":                       "Предварительный просмотр изменений",
	"Nothing has been submitted yet. Check the changes, then submit.": "Поправка ещё не внесена. Проверьте изменения и внесите её.",
	"Proposal submitted.":            "Поправка внесена.",
	"Against version %d (the head).": "К редакции %d (текущей).",
	"Pick the proposals to merge":    "Выберите поправки для включения",
	"Preview merge":                  "Предварительный просмотр",
	"Merge":                          "Включить",
	"Compromise texts":               "Компромиссные формулировки",
	"Collisions":                     "Коллизии",
	"These provisions are changed by more than one proposal. Read every competing text and type the compromise.": "Эти положения затрагивает несколько поправок. Прочтите все предложенные формулировки и введите компромиссную.",
	"Base text":                            "Текст основы",
	"Head text":                            "Текст текущей редакции",
	"Compromise for provision %s":          "Компромисс по положению %s",
	"Leave empty to delete the provision.": "Оставьте пустым, чтобы исключить положение.",
	"Preview of the merged text":           "Предварительный просмотр сводного текста",
	"Merged into version %d.":              "Включено в редакцию %d.",
	"No open proposals to merge.":          "Нет открытых поправок для включения.",
	"Open an adoption round":               "Открыть процедуру принятия",
	"Procedure":                            "Процедура",
	"consensus":                            "консенсус",
	"silence":                              "процедура молчания",
	"Deadline (UTC, for silence)":          "Срок (UTC, для процедуры молчания)",
	"Open round":                           "Открыть",
	"Round on version %d":                  "Принятие редакции %d",
	"Deadline":                             "Срок",
	"Time left":                            "Осталось",
	"ended":                                "истёк",
	"Consents":                             "Согласия",
	"Objections":                           "Возражения",
	"Join consensus":                       "Присоединиться к консенсусу",
	"Object":                               "Возразить",
	"Break silence":                        "Нарушить молчание",
	"Close the round":                      "Завершить процедуру",
	"No adoption round yet.":               "Процедура принятия ещё не открывалась.",
	"failed":                               "не состоялась",
	"Verify the chain":                     "Проверить цепочку",
	"The chain is intact: %d events checked.": "Цепочка не нарушена: проверено событий — %d.",
	"The chain is broken at event %d: %s":     "Цепочка нарушена на событии %d: %s",
	"The trail is not exact: %s":              "Журнал неточен: %s",
	"Stored changes without an event:":        "Сохранённые изменения без события:",
	"Changes with more than one event:":       "Изменения, записанные более одного раза:",
	"When":                                    "Когда",
	"Who":                                     "Кто",
	"Action":                                  "Действие",
	"Reference":                               "Ссылка",
	"Hash":                                    "Хеш",
	"More":                                    "Далее",
	"Delegations":                             "Делегации",
	"Users":                                   "Пользователи",
	"Add a delegation":                        "Добавить делегацию",
	"Name in Russian":                         "Название на русском языке",
	"Id":                                      "Код",
	"Name":                                    "Название",
	"member":                                  "член",
	"observer":                                "наблюдатель",
	"Add":                                     "Добавить",
	"Add a user":                              "Добавить пользователя",
	"Role":                                    "Роль",
	"secretariat":                             "секретариат",
	"chair":                                   "председатель",
	"delegate":                                "делегат",
	"Body (for a chair)":                      "Орган (для председателя)",
	"Delegation (for delegates and observers)": "Делегация (для делегатов и наблюдателей)",
	"Issue a token":                        "Выдать токен",
	"Issue a sign-in link":                 "Выдать ссылку для входа",
	"Revoke a token":                       "Отозвать токен",
	"Token id":                             "Код токена",
	"Revoke":                               "Отозвать",
	"Token revoked.":                       "Токен отозван.",
	"Shown once; copy it now:":             "Показывается один раз; скопируйте сейчас:",
	"Sign-in link for %s, valid until %s.": "Ссылка для входа для %s, действует до %s.",
	"Token for %s.":                        "Токен для %s.",
	"Delegation added.":                    "Делегация добавлена.",
	"Page not found":                       "Страница не найдена",
	"Print":                                "Печать",
	"Main navigation":                      "Основная навигация",
	"Document sections":                    "Разделы документа",
	"yes":                                  "да",
	"no":                                   "нет",
	"Open":                                 "Открыть",
	"Tracked changes against version %d":   "Изменения относительно редакции %d",
	"You may not see this document, or it does not exist.": "Этот документ недоступен вам или не существует.",
	"Members only":          "Только для членов",
	"Members and observers": "Члены и наблюдатели",
	"Visibility":            "Доступ",
	"Adopted on %s by %s.":  "Принят %s (%s).",
	"Edit":                  "Изменить",
	"Propose a change":      "Предложить изменение",
	"Save":                  "Сохранить",
	"New proposals: %d":     "Новых поправок: %d",
	"Events since then: %d": "Событий с тех пор: %d",
	"Version":               "Редакция",
	"Chair's revised text":  "Пересмотренный текст председателя",
	"State: %s":             "Состояние: %s",
	"Not chosen":            "Не выбрано",
	"Select":                "Выбрать",
	"This proposal has been merged or closed.": "Эта поправка включена в текст или закрыта.",
	"Merged into version %d":                   "Включена в редакцию %d",
	"Submitted %s by %s":                       "Внесена %s, автор %s",
	"Competing texts":                          "Предложенные формулировки",
	"Renumber":                                 "Перенумеровать",
	"Publishes the head with its numbers in clean sequence (6 bis becomes 7, and so on); texts and statuses stay.": "Публикует текущую редакцию со сквозной нумерацией (6 bis становится 7 и т. д.); тексты и статусы сохраняются.",
	"New document":             "Новый документ",
	"Create":                   "Создать",
	"Publish version":          "Опубликовать редакцию",
	"Against version %d.":      "К редакции %d.",
	"road-map":                 "дорожная карта",
	"catalogue":                "каталог",
	"rules-of-procedure":       "правила процедуры",
	"statement":                "заявление",
	"decision":                 "решение",
	"regulation":               "положение",
	"other":                    "другое",
	"Adopted":                  "Принят",
	"Use this form":            "Использовать эту форму",
	"Use the pasted text":      "Использовать вставленный текст",
	"after":                    "после",
	"at the start of the text": "в начале текста",
	"delete the provision":     "исключить положение",
}
