import type { TemplateWords } from './en.js';

export const sw: TemplateWords = {
  rules: {
    title: 'Kanuni za msingi',
    body: 'Zungumza kwa niaba yako, si kwa niaba ya wengine.\nSikiliza ili uelewe, si ili ujibu.\nKinachosemwa hapa hakirudiwi pamoja na majina.\nMajibu na kura hazina majina.',
  },
  trust: { low: 'Hata kidogo', high: 'Kabisa' },
  communityPolice: {
    name: 'Mazungumzo kati ya jamii na polisi (nusu siku)',
    description: 'Wasiwasi na mawazo, imani, maswali kwa polisi, na mpango wa kwanza wa utekelezaji.',
    welcome: { title: 'Karibuni', body: 'Kwa nini tuko hapa: kukubaliana pamoja kile kitakachofanya mtaa huu kuwa salama zaidi, na nani atafanya nini.' },
    trustToday: { title: 'Imani leo', question: 'Unawaamini polisi wa eneo hili kwa kiasi gani?' },
    concerns: {
      title: 'Wasiwasi kuhusu usalama',
      prompt: 'Ni nini kinakufanya ujisikie si salama hapa — na nini kingesaidia?',
      concerns: 'Wasiwasi',
      ideas: 'Mawazo',
    },
    questions: { title: 'Maswali kwa polisi', prompt: 'Waulize maafisa chochote; maswali hayana majina.' },
    plan: { activity: 'Mpango wetu wa utekelezaji', title: 'Mpango wa utekelezaji wa eneo kwa mitaa salama zaidi' },
    trustAfter: { title: 'Imani baada ya mazungumzo', question: 'Sasa unawaamini polisi wa eneo hili kwa kiasi gani?' },
    nextTime: { title: 'Wakati ujao', question: 'Tukutane tena baada ya miezi mitatu kufuatilia maendeleo?', yes: 'Ndiyo', no: 'Hapana' },
  },
  youth: {
    name: 'Mashauriano na vijana',
    description: 'Mahitaji ya vijana, yaliyopangwa nao kwa umuhimu, yakageuzwa kuwa ahadi.',
    welcome: { title: 'Karibuni', body: 'Hapa ni nafasi yenu: watu wazima walio hapa wanasikiliza. Kila mnachoandika na kupigia kura hakina majina.' },
    better: { title: 'Kitakachoboresha mambo', prompt: 'Ni nini kingefanya mtaa huu kuwa bora kwa vijana?' },
    places: {
      title: 'Unatumia muda wako wapi',
      question: 'Unatumia muda wako wa mapumziko wapi?',
      home: 'Nyumbani',
      street: 'Mtaani',
      club: 'Klabu ya vijana',
      online: 'Mtandaoni',
      sport: 'Michezoni',
    },
    oneWord: { title: 'Neno moja', question: 'Neno moja kwa kile unachotaka watu wazima waelewe' },
    plan: { activity: 'Ahadi', title: 'Ahadi kwa vijana' },
  },
  caseTable: {
    name: 'Mapitio ya kesi ya taasisi mbalimbali',
    description: 'Taasisi zinapitia jinsi zilivyoshirikiana: kilichofanikiwa, kisichofanikiwa, na kitakachobadilika.',
    purpose: { title: 'Lengo', body: 'Mapitio ya jinsi taasisi zetu zilivyoshirikiana — kuhusu taratibu, kamwe si kuhusu watu kwa majina.' },
    review: {
      title: 'Kilichofanikiwa na kisichofanikiwa',
      prompt: 'Fikiria miezi sita iliyopita ya ushirikiano.',
      worked: 'Kilifanikiwa',
      didNotWork: 'Hakikufanikiwa',
    },
    sharing: {
      title: 'Kubadilishana taarifa',
      question: 'Taarifa zilifika kwa taasisi sahihi kwa wakati.',
      low: 'Sikubaliani kabisa',
      high: 'Nakubali kabisa',
    },
    plan: { activity: 'Maboresho', title: 'Maboresho ya mapitio ya kesi' },
  },
};
